export {
  cleanupNamespaces,
  createNamespace,
  createVethPair,
  deleteLink,
  deleteNamespace,
  ip,
  listLinks,
  makeTempDir,
  namespaceRoot,
  nsExec,
  nsName,
  parseProcNetDev,
  readCounters,
  readProcNetDev,
  requireRoot,
  rootUnavailableReason,
  sleep,
  trackProcess,
  trackTempDir,
} from './netns.js';
export type { ExecResult, Namespace, NamespaceRoot, NetDevCounters, SkippableContext, VethEnd, VethOptions, VethPair } from './netns.js';
export { UDP_OVERHEAD_BYTES, sendUdp, startUdpSink } from './traffic.js';
export type { SendOptions, SendResult, UdpSink } from './traffic.js';
export { PROMETHEUS_BIN, prometheusUnavailableReason, requirePrometheus, startPrometheus } from './prometheus.js';
export type { PrometheusOptions, PrometheusServer, PromSample, ScrapeJob } from './prometheus.js';
export {
  CLI_BIN,
  agentEnv,
  REPO_ROOT,
  cliUnavailableReason,
  findSample,
  findSamples,
  httpGet,
  parseExposition,
  requireCli,
  runCli,
  startAgent,
} from './agent.js';
export type { Agent, AgentOptions, CliResult, Exposition, HttpResult, Sample } from './agent.js';
export { freePort } from './ports.js';
