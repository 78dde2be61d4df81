// The e2e suite's stand-in for a Kubernetes Service in front of a Deployment's replicas: a plain
// HTTP proxy that sends each request to the next replica in turn. Per request, not per connection:
// clients keep connections alive, and a connection-level balancer would pin a test to one replica.
import http from 'node:http';

/**
 * @typedef {object} Balancer
 * @property {string} url              where clients send their requests
 * @property {() => Promise<void>} close
 */

/**
 * Listens on 127.0.0.1:`port` and forwards every request, round robin, to `replicas` (base URLs).
 * A replica that cannot be reached answers 502, as a Service with an unready endpoint would fail:
 * nothing is retried behind the client's back.
 * @param {string} name      for the 502's text
 * @param {string[]} replicas
 * @param {number} port
 * @returns {Promise<Balancer>}
 */
export async function startBalancer(name, replicas, port) {
  const agent = new http.Agent({ keepAlive: true });
  let next = 0;
  const server = http.createServer((req, res) => {
    const target = new URL(replicas[next]);
    next = (next + 1) % replicas.length;
    const upstream = http.request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers, agent },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.statusMessage, answer.rawHeaders);
        answer.pipe(res);
      },
    );
    upstream.on('error', (error) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`${name} balancer: ${target.host} ${error.message}`);
    });
    // A client that goes away takes its forwarded request with it.
    res.on('close', () => {
      if (!res.writableFinished) upstream.destroy();
    });
    req.pipe(upstream);
  });
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      agent.destroy();
    },
  };
}
