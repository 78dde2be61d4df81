import { Module } from '@nestjs/common';
import { AmqpConnection, DeadLetters, MESSAGING_OPTIONS, type MessagingModuleOptions } from '@skald/messaging';
import { DataSource } from 'typeorm';
import { DeadLettersController } from './dead-letters.controller.js';

/**
 * The internal dead-letter routes of a service (`/internal/dead-letters…`): SkaldServiceModule
 * gives them to every service behind the internal token; the gateway calls them for on-call.
 */
@Module({
  controllers: [DeadLettersController],
  providers: [
    {
      provide: DeadLetters,
      inject: [MESSAGING_OPTIONS, AmqpConnection, DataSource],
      useFactory: (options: MessagingModuleOptions, connection: AmqpConnection, dataSource: DataSource) => new DeadLetters(options.service, connection, dataSource),
    },
  ],
  exports: [DeadLetters],
})
export class DeadLettersModule {}
