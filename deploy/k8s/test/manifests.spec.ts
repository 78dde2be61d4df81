/**
 * deploy/k8s: every base, overlay and example renders with `kubectl kustomize` (offline), every
 * rendered object validates against the Kubernetes schema (kubernetes-models), and each service
 * keeps the policy its manifests promise: probes, limits, a locked-down security context, a pinned
 * image, PDB, HPA, NetworkPolicy, migration Job, secrets only by reference.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';

const k8s = path.resolve(__dirname, '..');
const services = ['gateway', 'orders', 'inventory', 'warehouse', 'returns', 'notifications'] as const;
const ports: Record<string, number> = { gateway: 3000, orders: 3001, inventory: 3002, warehouse: 3003, returns: 3004, notifications: 3005 };
const queueConsumers = services.filter((s) => s !== 'gateway');
const privateRanges = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'];

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Obj = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string> }; spec?: any; data?: any };
function kubectl(): string {
  try {
    execFileSync('kubectl', ['version', '--client'], { stdio: 'pipe' });
  } catch {
    throw new Error(
      'kubectl is not installed (or not on PATH): the Kubernetes manifest tests render deploy/k8s with `kubectl kustomize`. ' +
        'Install kubectl ≥ 1.27 (Debian/Ubuntu: the `kubectl` package from the Kubernetes apt repository, or a kubectl binary on PATH) and run the tests again.',
    );
  }
  return 'kubectl';
}

function render(dir: string): Obj[] {
  const out = execFileSync(kubectl(), ['kustomize', path.join(k8s, dir)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return parseAllDocuments(out).map((doc) => {
    if (doc.errors.length) throw new Error(`${dir}: ${doc.errors[0].message}`);
    return doc.toJS() as Obj;
  });
}

const find = (objs: Obj[], kind: string, name: string) => objs.find((o) => o.kind === kind && o.metadata.name === name);
const get = (objs: Obj[], kind: string, name: string): Obj => {
  const found = find(objs, kind, name);
  if (!found) throw new Error(`no ${kind} ${name} in [${objs.map((o) => `${o.kind}/${o.metadata.name}`).join(', ')}]`);
  return found;
};

const renderings = [
  ...services.map((s) => `base/${s}`),
  'base/namespace',
  ...services.map((s) => `overlays/prod/${s}`),
  'overlays/prod',
  'overlays/dev',
  'examples/prod-keda',
];
const rendered = new Map<string, Obj[]>();
beforeAll(() => {
  for (const dir of renderings) rendered.set(dir, render(dir));
});
const of = (dir: string) => rendered.get(dir)!;

describe.each(renderings)('%s', (dir) => {
  it('renders and every object validates against the Kubernetes schema', () => {
    const objs = of(dir);
    expect(objs.length).toBeGreaterThan(0);
    // CustomResources (KEDA's) have no schema in kubernetes-models: they are checked below.
    const core = objs.filter((o) => o.apiVersion !== 'keda.sh/v1alpha1');
    const problems = JSON.parse(execFileSync(process.execPath, [path.join(__dirname, 'validate.mjs')], { input: JSON.stringify(core), encoding: 'utf8' }));
    expect(problems).toEqual([]);
  });

  it('commits no Secret and no secret value', () => {
    const objs = of(dir);
    expect(objs.filter((o) => o.kind === 'Secret')).toEqual([]);
    for (const cm of objs.filter((o) => o.kind === 'ConfigMap')) {
      for (const key of Object.keys(cm.data ?? {})) expect(key).not.toMatch(/TOKEN|SECRET|PASSWORD|DATABASE_URL|RABBITMQ_URL|SMTP_URL/);
    }
  });
});

describe.each(services)('%s', (service) => {
  const workloads = (dir: string) => [get(of(dir), 'Deployment', service), get(of(dir), 'Job', `${service}-migrate`)];

  it('has a Deployment with startup, liveness and readiness probes on the health routes', () => {
    const pod = get(of(`base/${service}`), 'Deployment', service).spec.template.spec;
    const [container] = pod.containers;
    expect(container.livenessProbe.httpGet.path).toBe('/health/live');
    expect(container.readinessProbe.httpGet.path).toBe('/health/ready');
    expect(container.startupProbe.httpGet).toBeDefined();
    expect(container.ports).toEqual([expect.objectContaining({ containerPort: ports[service] })]);
  });

  it.each(['base', 'overlays/prod'])('runs locked down with limits, in %s', (where) => {
    for (const workload of workloads(`${where}/${service}`)) {
      const pod = workload.spec.template.spec;
      expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: 'RuntimeDefault' } });
      for (const container of pod.containers) {
        expect(container.securityContext).toMatchObject({
          runAsNonRoot: true,
          readOnlyRootFilesystem: true,
          allowPrivilegeEscalation: false,
          capabilities: { drop: ['ALL'] },
        });
        expect(container.resources.requests).toEqual(expect.objectContaining({ cpu: expect.any(String), memory: expect.any(String) }));
        // The heap is capped at 128 MB (NODE_OPTIONS, ADR 3): the limit must leave room above it, and not hide a leak.
        expect(container.resources.limits.memory).toMatch(/^(19[2-9]|2\d\d|3[0-7]\d|38[0-4])Mi$/);
        expect(container.volumeMounts).toEqual(expect.arrayContaining([expect.objectContaining({ mountPath: '/tmp' })]));
      }
      expect(pod.volumes).toEqual(expect.arrayContaining([expect.objectContaining({ emptyDir: expect.any(Object) })]));
    }
  });

  it.each(['base', 'overlays/prod'])('runs with the image\'s heap and malloc settings, not settings of its own, in %s', (where) => {
    // NODE_OPTIONS and MALLOC_ARENA_MAX come from the image (deploy/docker/service.Dockerfile),
    // the same as `npm start` and the benchmarks use (docs/adr/0003, Memory).
    for (const workload of workloads(`${where}/${service}`)) {
      for (const container of workload.spec.template.spec.containers) {
        const names = (container.env ?? []).map((e: { name: string }) => e.name);
        expect(names).not.toContain('NODE_OPTIONS');
        expect(names).not.toContain('MALLOC_ARENA_MAX');
      }
    }
  });

  it('drains on SIGTERM: preStop sleep, grace period above SHUTDOWN_TIMEOUT_MS, migrations left to the Job', () => {
    const pod = get(of(`base/${service}`), 'Deployment', service).spec.template.spec;
    const [container] = pod.containers;
    const env = Object.fromEntries(container.env.map((e: { name: string; value?: string }) => [e.name, e.value]));
    expect(env.DATABASE_MIGRATE_ON_START).toBe('false');
    const sleep = Number(container.lifecycle.preStop.exec.command.at(-1));
    expect(sleep).toBeGreaterThan(0);
    expect(pod.terminationGracePeriodSeconds).toBeGreaterThan(sleep + Number(env.SHUTDOWN_TIMEOUT_MS ?? 25_000) / 1000 + 5);
  });

  it('takes secrets from its Secret by reference only', () => {
    const expected = ['DATABASE_URL', 'RABBITMQ_URL', 'INTERNAL_API_TOKEN', ...(service === 'gateway' || service === 'notifications' ? ['WEBHOOK_SECRET_KEY'] : [])];
    const [container] = get(of(`base/${service}`), 'Deployment', service).spec.template.spec.containers;
    for (const name of expected) {
      expect(container.env).toContainEqual({ name, valueFrom: { secretKeyRef: { name: `${service}-secrets`, key: name } } });
    }
    for (const workload of workloads(`overlays/prod/${service}`)) {
      for (const c of workload.spec.template.spec.containers) {
        for (const e of c.env ?? []) {
          if (/TOKEN|SECRET|PASSWORD|_URL$/.test(e.name) && !(service === 'gateway' && /^[A-Z]+_URL$/.test(e.name) && e.value?.startsWith('http://'))) {
            expect({ name: e.name, inline: e.value }).toEqual({ name: e.name, inline: undefined });
          }
        }
      }
    }
  });

  it.each(['base', 'overlays/prod', 'overlays/dev'])('runs a pinned image, never latest, in %s', (where) => {
    const objs = where === 'overlays/dev' ? of('overlays/dev') : of(`${where}/${service}`);
    for (const workload of [get(objs, 'Deployment', service), get(objs, 'Job', `${service}-migrate`)]) {
      for (const { image } of workload.spec.template.spec.containers) {
        expect(image).toMatch(new RegExp(`skald/${service}:[\\w][\\w.-]*$`));
        expect(image).not.toMatch(/:latest$/);
      }
    }
  });

  it('connects as its own PostgreSQL role and RabbitMQ user in every overlay: Deployment and migration Job read its own Secret', () => {
    for (const dir of [`base/${service}`, `overlays/prod/${service}`, 'overlays/dev']) {
      const [deployment, job] = workloads(dir);
      const refs = (workload: Obj) =>
        Object.fromEntries(
          workload.spec.template.spec.containers[0].env
            .filter((e: { name: string }) => e.name === 'DATABASE_URL' || e.name === 'RABBITMQ_URL')
            .map((e: { name: string; valueFrom: unknown }) => [e.name, e.valueFrom]),
        );
      const own = (key: string) => ({ secretKeyRef: { name: `${service}-secrets`, key } });
      expect({ dir, refs: refs(deployment) }).toEqual({ dir, refs: { DATABASE_URL: own('DATABASE_URL'), RABBITMQ_URL: own('RABBITMQ_URL') } });
      expect({ dir, refs: refs(job) }).toEqual({ dir, refs: { DATABASE_URL: own('DATABASE_URL') } });
    }
  });

  it('has a migration Job running `node dist/migrate.js run` on the same image', () => {
    const objs = of(`base/${service}`);
    const job = get(objs, 'Job', `${service}-migrate`).spec.template.spec;
    expect(job.containers[0].command).toEqual(['node', 'dist/migrate.js', 'run']);
    expect(job.containers[0].image).toBe(get(objs, 'Deployment', service).spec.template.spec.containers[0].image);
    expect(job.restartPolicy).toBe('Never');
  });

  it('has a Service, a PodDisruptionBudget and a CPU HorizontalPodAutoscaler for its server pods only', () => {
    const objs = of(`base/${service}`);
    const selector = get(objs, 'Deployment', service).spec.selector.matchLabels;
    expect(selector).toEqual({ 'app.kubernetes.io/name': service, 'app.kubernetes.io/component': 'server' });
    expect(get(objs, 'Service', service).spec.selector).toEqual(selector);
    expect(get(objs, 'PodDisruptionBudget', service).spec.selector.matchLabels).toEqual(selector);
    const hpa = get(objs, 'HorizontalPodAutoscaler', service).spec;
    expect(hpa.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: service });
    expect(hpa.metrics).toContainEqual(expect.objectContaining({ type: 'Resource', resource: expect.objectContaining({ name: 'cpu' }) }));
    // The migration Job's pod must not receive traffic.
    expect(get(objs, 'Job', `${service}-migrate`).spec.template.metadata.labels['app.kubernetes.io/component']).toBe('migration');
  });

  it('runs at least two replicas in prod, one in dev', () => {
    const prod = of(`overlays/prod/${service}`);
    expect(get(prod, 'Deployment', service).spec.replicas).toBeGreaterThanOrEqual(2);
    expect(get(prod, 'HorizontalPodAutoscaler', service).spec.minReplicas).toBeGreaterThanOrEqual(2);
    expect(get(prod, 'PodDisruptionBudget', service).spec.maxUnavailable).toBe(1);
    for (const o of prod) expect(o.metadata.namespace).toBe('skald');
    expect(get(of('overlays/dev'), 'Deployment', service).spec.replicas).toBe(1);
  });

  it('has a NetworkPolicy: who may call it, and only PostgreSQL, RabbitMQ and DNS out (plus its own extras)', () => {
    const policy = get(of(`base/${service}`), 'NetworkPolicy', service).spec;
    expect(policy.podSelector.matchLabels).toEqual({ 'app.kubernetes.io/name': service });
    expect(policy.policyTypes).toEqual(['Ingress', 'Egress']);
    const callers = policy.ingress.filter((rule: { from?: unknown[] }) => !rule.from?.some((p) => JSON.stringify(p).includes('skald.io/monitoring')));
    if (service === 'gateway') {
      expect(callers).toEqual([{ ports: [{ port: 3000, protocol: 'TCP' }] }]);
    } else {
      expect(callers).toEqual([
        {
          from: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'gateway', 'app.kubernetes.io/component': 'server' } } }],
          ports: [{ port: ports[service], protocol: 'TCP' }],
        },
      ]);
    }
    expect(policy.ingress).toContainEqual({
      from: [{ namespaceSelector: { matchLabels: { 'skald.io/monitoring': 'true' } } }],
      ports: [{ port: ports[service], protocol: 'TCP' }],
    });
    const egressPorts = policy.egress.flatMap((rule: { ports?: { port: number }[] }) => (rule.ports ?? []).map((p) => p.port));
    expect(egressPorts).toEqual(expect.arrayContaining([53, 5432, 5672]));
    const expectedPorts = [53, 53, 5432, 5672, ...(service === 'gateway' ? [3001, 3002, 3003, 3004, 3005] : [])];
    expect(egressPorts.sort()).toEqual(expectedPorts.sort());
    const internet = policy.egress.filter((rule: { ports?: unknown[] }) => !rule.ports);
    if (service === 'notifications') {
      expect(internet).toHaveLength(1);
      expect(internet[0].to[0].ipBlock.cidr).toBe('0.0.0.0/0');
      expect(internet[0].to[0].ipBlock.except).toEqual(expect.arrayContaining(privateRanges));
    } else {
      expect(internet).toEqual([]);
    }
    // Production reaches its external PostgreSQL and RabbitMQ by address range.
    const prodEgress = get(of(`overlays/prod/${service}`), 'NetworkPolicy', service).spec.egress;
    expect(prodEgress).toContainEqual(expect.objectContaining({ to: [{ ipBlock: { cidr: expect.any(String) } }] }));
  });
});

describe('the namespace', () => {
  it('denies all traffic by default', () => {
    const deny = get(of('base/namespace'), 'NetworkPolicy', 'default-deny');
    expect(deny.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    for (const dir of ['overlays/prod', 'overlays/dev']) expect(find(of(dir), 'NetworkPolicy', 'default-deny')).toBeDefined();
  });

  it('prod is the six services; dev adds one PostgreSQL and one RabbitMQ', () => {
    for (const dir of ['overlays/prod', 'overlays/dev']) {
      expect(of(dir).filter((o) => o.kind === 'Deployment').map((o) => o.metadata.name).sort()).toEqual([...services].sort());
    }
    expect(of('overlays/prod').filter((o) => o.kind === 'StatefulSet')).toEqual([]);
    expect(of('overlays/dev').filter((o) => o.kind === 'StatefulSet').map((o) => o.metadata.name).sort()).toEqual(['postgresql', 'rabbitmq']);
  });
  it('dev lets every Skald pod, and only them, reach its PostgreSQL and RabbitMQ', () => {
    const dev = of('overlays/dev');
    for (const workload of dev.filter((o) => o.kind === 'Deployment' || o.kind === 'Job')) {
      expect([workload.metadata.name, workload.spec.template.metadata.labels['app.kubernetes.io/part-of']]).toEqual([workload.metadata.name, 'skald']);
    }
    for (const [name, port] of [['postgresql', 5432], ['rabbitmq', 5672]] as const) {
      expect(get(dev, 'NetworkPolicy', name).spec.ingress).toEqual([
        { from: [{ podSelector: { matchLabels: { 'app.kubernetes.io/part-of': 'skald' } } }], ports: [{ port, protocol: 'TCP' }] },
      ]);
    }
  });
});

describe('least privilege in dev: its PostgreSQL and RabbitMQ make a role and a user per service', () => {
  const dev = () => of('overlays/dev');
  const scripts = ['postgres-roles.sh', 'rabbitmq-users.sh', 'rabbitmq-start.sh'];
  const configMap = () => {
    const found = dev().filter((o) => o.kind === 'ConfigMap' && o.metadata.name.startsWith('skald-least-privilege'));
    expect(found).toHaveLength(1);
    return found[0];
  };
  const container = (name: string) => get(dev(), 'StatefulSet', name).spec.template.spec.containers[0];
  const volumeOf = (name: string) => get(dev(), 'StatefulSet', name).spec.template.spec.volumes.find((v: { name: string }) => v.name === 'least-privilege');

  it('ships the committed scripts of deploy/least-privilege (generated from the one source of truth) as they are', () => {
    for (const script of scripts) {
      expect(configMap().data[script]).toBe(readFileSync(path.resolve(k8s, '../least-privilege', script), 'utf8'));
    }
  });

  it.each([
    ['postgresql', 'DATABASE_URL'],
    ['rabbitmq', 'RABBITMQ_URL'],
  ])("%s reads each service's password from that service's own Secret (%s)", (name, key) => {
    for (const service of services) {
      expect(container(name).env).toContainEqual({ name: `SKALD_${service.toUpperCase()}_${key}`, valueFrom: { secretKeyRef: { name: `${service}-secrets`, key } } });
    }
  });

  it('PostgreSQL runs postgres-roles.sh when it initialises its data directory', () => {
    expect(container('postgresql').volumeMounts).toContainEqual({ name: 'least-privilege', mountPath: '/docker-entrypoint-initdb.d', readOnly: true });
    expect(volumeOf('postgresql').configMap).toMatchObject({ name: configMap().metadata.name, items: [{ key: 'postgres-roles.sh', path: '10-skald-roles.sh' }] });
  });

  it('RabbitMQ starts through rabbitmq-start.sh and is ready only once the users are there', () => {
    expect(container('rabbitmq').command).toEqual(['sh', '/opt/skald/rabbitmq-start.sh']);
    expect(container('rabbitmq').volumeMounts).toContainEqual({ name: 'least-privilege', mountPath: '/opt/skald', readOnly: true });
    expect(volumeOf('rabbitmq').configMap.name).toBe(configMap().metadata.name);
    expect(container('rabbitmq').readinessProbe.exec.command.join(' ')).toContain('/tmp/skald-users-ready');
  });
});

describe('KEDA (examples/prod-keda)', () => {
  const objs = () => of('examples/prod-keda');

  it.each(queueConsumers)('%s scales on its queue instead of the CPU HorizontalPodAutoscaler', (service) => {
    expect(find(objs(), 'HorizontalPodAutoscaler', service)).toBeUndefined();
    const scaled = get(objs(), 'ScaledObject', service);
    expect(scaled.apiVersion).toBe('keda.sh/v1alpha1');
    expect(scaled.spec.scaleTargetRef.name).toBe(get(objs(), 'Deployment', service).metadata.name);
    expect(scaled.spec.minReplicaCount).toBeGreaterThanOrEqual(2);
    const queue = scaled.spec.triggers.find((t: { type: string }) => t.type === 'rabbitmq');
    expect(queue.metadata.queueName).toBe(`skald.${service}`);
    const auth = get(objs(), 'TriggerAuthentication', queue.authenticationRef.name);
    expect(auth.spec.secretTargetRef).toEqual([{ parameter: 'host', name: `${service}-secrets`, key: 'RABBITMQ_URL' }]);
  });

  it('keeps the CPU autoscaler for the gateway, which consumes no queue', () => {
    expect(find(objs(), 'HorizontalPodAutoscaler', 'gateway')).toBeDefined();
    expect(find(objs(), 'ScaledObject', 'gateway')).toBeUndefined();
  });
});
