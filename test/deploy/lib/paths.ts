import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const CHART_DIR = join(REPO_ROOT, 'deploy', 'helm', 'otel-netif');
export const CHART_CI_DIR = join(CHART_DIR, 'ci');
/** The one copy of the dashboards: the chart packs them, compose mounts this directory. */
export const DASHBOARD_DIR = join(CHART_DIR, 'dashboards');
/** The one copy of the alert rules: the chart's PrometheusRule reads it, compose mounts it. */
export const RULES_FILE = join(CHART_DIR, 'rules', 'otel-netif.rules.yml');
export const COMPOSE_DIR = join(REPO_ROOT, 'deploy', 'compose');
export const COMPOSE_FILE = join(COMPOSE_DIR, 'docker-compose.yml');
export const SYSTEMD_UNIT = join(REPO_ROOT, 'deploy', 'systemd', 'otel-netif.service');
export const DOCKERFILE = join(REPO_ROOT, 'Dockerfile');
export const GOLDEN_DIR = join(REPO_ROOT, 'test', 'deploy', 'golden');
export const TOOLS_DIR = join(REPO_ROOT, '.tools');
