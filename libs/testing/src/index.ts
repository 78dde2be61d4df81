import 'reflect-metadata';

export * from './wait-for.js';
export * from './broker/test-vhost.js';
export * from './broker/broker-probe.js';
export * from './service/service-under-test.js';
