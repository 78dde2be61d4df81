import net from 'node:net';

/**
 * A TCP proxy between the gateway and a service that can lose the service's next answer: drop it
 * (the connection is reset once the service has answered, i.e. after its transaction committed)
 * or hold it back past the gateway's upstream timeout. Everything else passes through.
 */
export class ResponseProxy {
  private server?: net.Server;
  private readonly sockets = new Set<net.Socket>();
  private next: 'pass' | 'drop' | 'hold' = 'pass';
  private held: Array<() => void> = [];
  /** Answers the service sent that the proxy dropped or held. */
  lost = 0;
  port = 0;

  constructor(private readonly targetPort: number) {}

  async start(): Promise<void> {
    this.server = net.createServer((client) => {
      const upstream = net.connect(this.targetPort, '127.0.0.1');
      this.track(client);
      this.track(upstream);
      client.pipe(upstream);
      let fate: 'pass' | 'drop' | 'hold' | undefined;
      upstream.on('data', (chunk: Buffer) => {
        // The first bytes of an answer decide its fate; the rest of it follows them.
        if (fate === undefined || fate === 'pass') {
          fate = this.next;
          if (fate !== 'pass') {
            this.next = 'pass';
            this.lost += 1;
          }
        }
        if (fate === 'drop') {
          client.destroy();
          upstream.destroy();
        } else if (fate === 'hold') {
          upstream.pause();
          this.held.push(() => client.destroy());
        } else {
          client.write(chunk);
        }
      });
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server!.address() as net.AddressInfo).port;
  }

  url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** The service's next answer never reaches the gateway: its connection is reset. */
  dropNextAnswer(): void {
    this.next = 'drop';
  }

  /** The service's next answer is held back (until `stop`), so the gateway times out. */
  holdNextAnswer(): void {
    this.next = 'hold';
  }

  async stop(): Promise<void> {
    for (const release of this.held) release();
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  private track(socket: net.Socket): void {
    this.sockets.add(socket);
    socket.on('error', () => socket.destroy());
    socket.on('close', () => this.sockets.delete(socket));
  }
}
