import 'reflect-metadata';

export * from './wait-for.js';
export * from './broker/test-vhost.js';
export * from './broker/broker-probe.js';
export * from './service/service-under-test.js';
export * from './servers/test-smtp-server.js';
export * from './servers/test-sms-provider.js';
export * from './servers/test-webhook-receiver.js';
