/** Injection token of the service's validated configuration (`@Inject(SERVICE_CONFIG) config: MyConfig`). */
export const SERVICE_CONFIG = Symbol('SERVICE_CONFIG');
