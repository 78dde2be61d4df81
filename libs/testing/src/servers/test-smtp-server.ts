import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { waitFor } from '@skald/messaging';

/** A mail as the test SMTP server received and parsed it. */
export interface ReceivedMail {
  /** Envelope sender (MAIL FROM). */
  from: string;
  /** Envelope recipients (RCPT TO). */
  to: string[];
  /** The From header as written. */
  fromHeader: string;
  subject: string;
  text: string;
  html: string;
  messageId: string | undefined;
  headers: Map<string, unknown>;
  receivedAt: Date;
}

export interface ServerAddress {
  url: string;
  port: number;
}

/**
 * A real SMTP server on a free local port (no TLS, no authentication) that parses every mail it
 * accepts. It can be told to refuse the next mails with an SMTP reply code (451: try again; 550: never).
 */
export class TestSmtpServer {
  readonly messages: ReceivedMail[] = [];
  /** Every DATA transaction, accepted or refused. */
  transactions = 0;
  /**
   * Connections that ended in an error, e.g. a sender killed in the middle of a mail (ECONNRESET).
   * smtp-server emits those on the server: without a lasting listener they would crash the test.
   */
  readonly connectionErrors: Error[] = [];
  private server?: SMTPServer;
  private refusals: number[] = [];

  /** Listens on `port` (0: any free port). */
  async start(port = 0): Promise<ServerAddress> {
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['AUTH', 'STARTTLS'],
      logger: false,
      onData: (stream, session, callback) => {
        this.transactions++;
        const refusal = this.refusals.shift();
        simpleParser(stream)
          .then((mail) => {
            if (refusal !== undefined) {
              callback(Object.assign(new Error(`test server refuses this mail (${refusal})`), { responseCode: refusal }));
              return;
            }
            this.messages.push({
              from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              to: session.envelope.rcptTo.map((recipient) => recipient.address),
              fromHeader: mail.from?.text ?? '',
              subject: mail.subject ?? '',
              text: mail.text ?? '',
              html: typeof mail.html === 'string' ? mail.html : '',
              messageId: mail.messageId,
              headers: mail.headers,
              receivedAt: new Date(),
            });
            callback();
          })
          .catch((error: Error) => callback(error));
      },
    });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    server.on('error', (error: Error) => this.connectionErrors.push(error));
    return this.address();
  }

  address(): ServerAddress {
    if (!this.server) throw new Error('TestSmtpServer not started');
    const { port } = this.server.server.address() as AddressInfo;
    return { url: `smtp://127.0.0.1:${port}`, port };
  }

  /** Refuses the next `count` mails with `code` (4xx: transient, 5xx: permanent). */
  refuseNext(count: number, code = 451): void {
    this.refusals.push(...Array.from({ length: count }, () => code));
  }

  /** Waits for the first accepted mail matching `predicate`. */
  waitForMail(predicate: (mail: ReceivedMail) => boolean = () => true, timeoutMs = 15_000): Promise<ReceivedMail> {
    return waitFor('an e-mail', () => this.messages.find(predicate), timeoutMs);
  }

  /** Accepted mails to an address (envelope recipient). */
  mailsTo(address: string): ReceivedMail[] {
    return this.messages.filter((mail) => mail.to.includes(address));
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

