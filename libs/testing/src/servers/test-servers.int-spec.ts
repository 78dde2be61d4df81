import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { waitFor } from '@skald/messaging';
import { createTransport } from 'nodemailer';
import { Webhook } from 'standardwebhooks';
import { TestSmsProvider } from './test-sms-provider.js';
import { TestSmtpServer } from './test-smtp-server.js';
import { TestWebhookReceiver } from './test-webhook-receiver.js';

describe('test servers (real local SMTP and HTTP)', () => {
  it('TestSmtpServer parses accepted mails and refuses the ones it is told to', async () => {
    const smtp = new TestSmtpServer();
    const { url } = await smtp.start();
    const transport = createTransport({ url });
    try {
      smtp.refuseNext(1, 550);
      await expect(transport.sendMail({ from: 'a@x.example', to: 'b@x.example', subject: 'refused', text: 'no' })).rejects.toMatchObject({
        responseCode: 550,
      });
      await transport.sendMail({ from: 'Shop <a@x.example>', to: 'b@x.example', subject: 'Hello', text: 'plain', html: '<p>rich</p>' });

      const mail = await smtp.waitForMail((m) => m.subject === 'Hello');
      expect(mail).toMatchObject({ from: 'a@x.example', to: ['b@x.example'], fromHeader: '"Shop" <a@x.example>', text: 'plain', html: '<p>rich</p>' });
      expect(smtp.messages).toHaveLength(1);
      expect(smtp.transactions).toBe(2);
    } finally {
      transport.close();
      await smtp.stop();
    }
  });

  it('TestSmtpServer records a sender cut off in the middle of a mail and goes on serving', async () => {
    const smtp = new TestSmtpServer();
    const { url, port } = await smtp.start();
    const transport = createTransport({ url });
    try {
      // A sender killed between MAIL FROM and DATA (SIGKILLed notifications): its socket is reset.
      const socket = connect(port, '127.0.0.1');
      await reply(socket, /^220 /m);
      socket.write('EHLO killed.example\r\n');
      await reply(socket, /^250 /m);
      socket.write('MAIL FROM:<a@x.example>\r\n');
      await reply(socket, /^250 /m);
      socket.resetAndDestroy();

      await waitFor('the reset recorded', () => (smtp.connectionErrors.length > 0 ? true : undefined), 5_000);
      expect(smtp.connectionErrors[0]).toMatchObject({ code: 'ECONNRESET' });
      await transport.sendMail({ from: 'a@x.example', to: 'b@x.example', subject: 'after the reset', text: 'still here' });
      expect((await smtp.waitForMail()).subject).toBe('after the reset');
    } finally {
      transport.close();
      await smtp.stop();
    }
  });

  it('TestSmsProvider checks the token, fails on demand with 503 and records accepted SMS', async () => {
    const sms = new TestSmsProvider({ token: 'secret-token' });
    const { url } = await sms.start();
    const post = (token: string) =>
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ to: '+100', body: 'hi', reference: 'r-1' }),
      });
    try {
      expect((await post('wrong')).status).toBe(401);
      sms.failNext(1);
      expect((await post('secret-token')).status).toBe(503);
      expect((await post('secret-token')).status).toBe(202);

      expect(sms.messages).toEqual([expect.objectContaining({ to: '+100', body: 'hi', reference: 'r-1', authorization: 'Bearer secret-token' })]);
      expect(sms.requests.map((r) => r.status)).toEqual([401, 503, 202]);
    } finally {
      await sms.stop();
    }
  });

  it('TestWebhookReceiver accepts only bodies signed with its secret, and fails on demand', async () => {
    const secret = `whsec_${randomBytes(24).toString('base64')}`;
    const receiver = new TestWebhookReceiver(secret);
    const { url } = await receiver.start();
    const send = (signer: Webhook, id: string, body: string) => {
      const at = new Date();
      return fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'webhook-id': id,
          'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
          'webhook-signature': signer.sign(id, at, body),
        },
        body,
      });
    };
    try {
      const right = new Webhook(secret);
      const wrong = new Webhook(`whsec_${randomBytes(24).toString('base64')}`);
      expect((await send(wrong, 'msg-1', '{"type":"x"}')).status).toBe(401);
      receiver.failNext(1);
      expect((await send(right, 'msg-2', '{"type":"y"}')).status).toBe(500);
      expect((await send(right, 'msg-2', '{"type":"y"}')).status).toBe(204);

      expect(receiver.deliveries).toEqual([expect.objectContaining({ id: 'msg-2', payload: { type: 'y' } })]);
      expect(receiver.rejected).toEqual([expect.objectContaining({ id: 'msg-1', verified: false, outcome: 'rejected' })]);
      expect(receiver.requests.map((r) => r.outcome)).toEqual(['rejected', 'failed', 'delivered']);
    } finally {
      await receiver.stop();
    }
  });
});

/** Resolves once what the server has sent on `socket` since the call matches `pattern`. */
function reply(socket: Socket, pattern: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    let received = '';
    const onData = (chunk: Buffer) => {
      received += chunk.toString('utf8');
      if (!pattern.test(received)) return;
      socket.off('data', onData).off('error', reject);
      resolve(received);
    };
    socket.on('data', onData).once('error', reject);
  });
}
