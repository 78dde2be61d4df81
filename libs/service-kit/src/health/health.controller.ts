import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { AmqpConnection, MessageConsumer } from '@skald/messaging';
import { ShutdownState } from './shutdown-state.js';

@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly broker: AmqpConnection,
    private readonly consumer: MessageConsumer,
    private readonly shutdown: ShutdownState,
  ) {}

  @Get('live')
  @HealthCheck()
  @ApiOperation({ summary: 'Liveness: the process is up and serving HTTP', security: [] })
  live() {
    return this.health.check([]);
  }

  @Get('ready')
  @HealthCheck()
  @ApiOperation({
    summary: 'Readiness: database and broker reachable, consumer not paused by an outage, not shutting down',
    security: [],
  })
  ready() {
    return this.health.check([
      () => this.database.pingCheck('database').withTimeout(1_500),
      () => {
        const session = this.indicators.check('broker');
        return this.broker.isConnected() ? session.up() : session.down('not connected to RabbitMQ');
      },
      () => {
        const session = this.indicators.check('consumer');
        return this.consumer.paused ? session.down('paused: waiting for the database') : session.up();
      },
      () => {
        const session = this.indicators.check('lifecycle');
        return this.shutdown.shuttingDown ? session.down('shutting down') : session.up();
      },
    ]);
  }
}
