// Validates Kubernetes objects against the schema with kubernetes-models. Run as its own Node
// process by manifests.spec.ts: kubernetes-models and its validators are ESM only, which Jest's
// CommonJS runtime cannot load without transforming half of their dependencies.
// stdin: a JSON array of objects; stdout: a JSON array of { index, kind, name, error }.
import { ConfigMap, Namespace, Service } from 'kubernetes-models/v1';
import { Deployment, StatefulSet } from 'kubernetes-models/apps/v1';
import { Job } from 'kubernetes-models/batch/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';

const schemas = {
  'v1/ConfigMap': ConfigMap,
  'v1/Namespace': Namespace,
  'v1/Service': Service,
  'apps/v1/Deployment': Deployment,
  'apps/v1/StatefulSet': StatefulSet,
  'batch/v1/Job': Job,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
};

let input = '';
for await (const chunk of process.stdin) input += chunk;
const problems = [];
JSON.parse(input).forEach((obj, index) => {
  const key = `${obj.apiVersion}/${obj.kind}`;
  const Schema = schemas[key];
  const where = { index, kind: key, name: obj.metadata?.name };
  if (!Schema) {
    problems.push({ ...where, error: 'no schema for this kind in deploy/k8s/test/validate.mjs: add its kubernetes-models class' });
    return;
  }
  try {
    new Schema(obj).validate();
  } catch (error) {
    problems.push({ ...where, error: error.message });
  }
});
process.stdout.write(JSON.stringify(problems));
