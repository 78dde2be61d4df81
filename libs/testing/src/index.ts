import 'reflect-metadata';

// Vhosts of a test's own live with the messaging platform (its own specs need them too).
export {
  createTestVhost,
  removeVhostsTagged,
  vhostAdmin,
  vhostOf,
  withVhost,
  waitFor,
  TcpProxy,
  TEST_RABBITMQ_URL,
  TEST_RUN_TAG,
  type TestVhost,
  type VhostAdmin,
  type VhostAdminOptions,
  // Each service's own PostgreSQL role and RabbitMQ user (least privilege), for suites that run them so.
  brokerPermissions,
  postgresSetupSql,
  PUBLISHES,
  serviceAccount,
  SKALD_SERVICES,
  type BrokerPermissions,
  type SkaldService,
} from '@skald/messaging';
export * from './broker/broker-probe.js';
export * from './service/service-under-test.js';
export * from './servers/test-smtp-server.js';
export * from './servers/test-sms-provider.js';
export * from './servers/test-webhook-receiver.js';
