import { Injectable } from '@nestjs/common';

/** Set when SIGTERM arrives: readiness turns 503 so the load balancer stops sending work. */
@Injectable()
export class ShutdownState {
  private since?: Date;

  begin(): void {
    this.since ??= new Date();
  }

  get shuttingDown(): boolean {
    return this.since !== undefined;
  }
}
