/**
 * Entry: one pod from environment variables. Logs JSON lines on stdout; exactly one line with
 * "msg":"ready" once listening. A refused configuration logs "config rejected" and exits 78.
 */
import { loadConfig, type ServerConfig } from './config/env.ts';
import { CONFIG_EXIT_CODE, ConfigError } from './config/errors.ts';
import { createLogger } from './log.ts';
import { memoryGrowHook } from './memory-grow-hook.ts';
import { startPod } from './pod.ts';

async function main(): Promise<void> {
  let config: ServerConfig;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      createLogger({ pod: process.env.POD_NAME ?? `pod-${process.pid}` }).error('config rejected', {
        reason: err.message,
        variable: err.variable,
        exitCode: CONFIG_EXIT_CODE,
      });
      process.exitCode = CONFIG_EXIT_CODE;
      return;
    }
    throw err;
  }
  const log = createLogger({ pod: config.podName }, config.logLevel);
  // Lifecycle lines (starting, ready, shutting down, stopped) are printed whatever LOG_LEVEL says:
  // the harness waits for "ready".
  const lifecycle = createLogger({ pod: config.podName }, 'debug');
  for (const key of config.ignoredConfigKeys) {
    log.warn('config key ignored', { key, appVersion: config.appVersion, configFile: config.configFile });
  }
  lifecycle.info('starting', {
    appVersion: config.appVersion,
    configVersion: config.file.configVersion,
    roles: [...config.roles],
    redis: config.redisUrl ? 'on' : 'off (standalone, in memory)',
    switches: config.switches,
  });
  const memoryHook = memoryGrowHook(process.env, log);
  const pod = await startPod(config, log, { requestHooks: memoryHook ? [memoryHook] : [] });
  lifecycle.info('ready', { host: config.host, port: pod.port, url: pod.url });

  let signals = 0;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (++signals > 1) process.exit(1);
    lifecycle.info('shutting down', { signal });
    pod.stop().then(
      () => {
        lifecycle.info('stopped');
        process.exit(0);
      },
      (err: Error) => {
        log.error('shutdown failed', { err: err.message });
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}

main().catch((err: Error) => {
  process.stdout.write(JSON.stringify({ time: new Date().toISOString(), level: 'error', msg: 'start failed', err: err.message }) + '\n');
  process.exit(1);
});
