import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readMetricsFrom } from './metricsFile.js';
import { listRuns } from './runs.js';
import { serveDashboard, type RunningDashboard } from './server.js';
import { realRoot } from './paths.js';

const base = mkdtempSync(join(tmpdir(), 'vaelab-serve-'));
const root = join(base, 'runs');
const SECRET = 'top secret outside the runs folder';
afterAll(() => rmSync(base, { recursive: true, force: true }));

const config = (beta: number) => ({
  model: { kind: 'vae', decoder: 'bernoulli', prior: 'standard', latent: 4, dataShape: [1, 28, 28] },
  objective: { kind: beta === 1 ? 'elbo' : 'beta', beta },
  train: { dataset: 'mnist', batch: 10 },
});
const train = (step: number) =>
  JSON.stringify({
    kind: 'train',
    step,
    epoch: step / 10,
    loss: 100 - step,
    elbo: step - 100,
    reconstruction: -90,
    kl: 10,
    klPerLatent: [5, 5, 0, 0],
    lr: 1e-3,
    beta: 1,
    capacity: 0,
    time: step,
  });

/** A run folder with `files` (relative path → content). */
function run(name: string, files: Record<string, string>): string {
  const dir = join(root, name);
  mkdirSync(join(dir, 'checkpoints'), { recursive: true });
  for (const [f, text] of Object.entries(files)) {
    mkdirSync(join(dir, f, '..'), { recursive: true });
    writeFileSync(join(dir, f), text);
  }
  return dir;
}

/**
 * GET (or `method`) with the path sent exactly as written: no client-side normalisation of `..` (the
 * server's URL parser still folds `..` and `%2e%2e` segments, so those never reach a route).
 */
function raw(port: number, path: string, method = 'GET', headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

const old = new Date(Date.now() - 3600_000);

beforeAll(() => {
  mkdirSync(root, { recursive: true });
  writeFileSync(join(base, 'secret.txt'), SECRET);
  mkdirSync(join(base, 'outside-run'), { recursive: true });
  writeFileSync(join(base, 'outside-run', 'config.json'), JSON.stringify(config(1)));
  run('done', {
    'config.json': JSON.stringify(config(1)),
    'metrics.jsonl': [1, 2, 3].map((s) => train(s * 10)).join('\n') + '\n',
    'summary.json': JSON.stringify({ steps: 30, stopped: 'done', testElbo: -95.5, testNll: 91.25, nllK: 100, activeUnits: 2 }),
    'checkpoints/final/x': '',
    'report/samples-mean.png': 'not really a png',
  });
  // Half-written: the last metrics line is cut, no checkpoint, quiet for an hour.
  const half = run('half-written', {
    'config.json': JSON.stringify(config(4)),
    'metrics.jsonl': `${train(10)}\n${train(20)}\n{"kind":"train","st`,
  });
  utimesSync(join(half, 'metrics.jsonl'), old, old);
  utimesSync(join(half, 'checkpoints'), old, old);
  run('corrupt-config', { 'config.json': '{"model": {"kind": "vae",', 'metrics.jsonl': `not json\n${train(5)}\n` });
  run('bad-summary', { 'config.json': JSON.stringify(config(1)), 'summary.json': '[1, 2' });
  // run.lock says who works in a run: this process (alive), one that has ended (killed), one on another host.
  const lock = (pid: number, host = hostname()) => JSON.stringify({ pid, host, since: old.toISOString() });
  run('training', { 'config.json': JSON.stringify(config(2)), 'metrics.jsonl': `${train(10)}\n`, 'run.lock': lock(process.pid) });
  const killed = run('killed', {
    'config.json': JSON.stringify(config(2)),
    'metrics.jsonl': `${train(10)}\n`,
    'run.lock': lock(spawnSync('true').pid),
  });
  utimesSync(join(killed, 'metrics.jsonl'), new Date(), new Date()); // fresh files do not make it training
  const remoteQuiet = run('remote-quiet', {
    'config.json': JSON.stringify(config(2)),
    'metrics.jsonl': `${train(10)}\n`,
    'run.lock': lock(process.pid, 'elsewhere'),
  });
  utimesSync(join(remoteQuiet, 'metrics.jsonl'), old, old);
  utimesSync(join(remoteQuiet, 'checkpoints'), old, old);
  run('remote-busy', { 'config.json': JSON.stringify(config(2)), 'metrics.jsonl': `${train(10)}\n`, 'run.lock': lock(1, 'elsewhere') });
  run('no-lock', { 'config.json': JSON.stringify(config(2)), 'metrics.jsonl': `${train(10)}\n` });
  run('no-config-yet', { 'metrics.jsonl': '' });
  // Links that lead out of the runs folder: a run and a file inside a run.
  symlinkSync(join(base, 'outside-run'), join(root, 'linked-run'));
  symlinkSync(join(base, 'secret.txt'), join(root, 'done', 'report', 'leak.png'));
  writeFileSync(join(root, 'done', 'report', 'inside.svg'), '<svg/>');
  symlinkSync(join(root, 'done', 'report', 'inside.svg'), join(root, 'done', 'report', 'link-inside.svg'));
});

describe('listRuns', () => {
  it('lists every run with its status and names what is wrong, without throwing', () => {
    const rows = listRuns(realRoot(root));
    const by = Object.fromEntries(rows.map((r) => [r.name, r]));
    expect(Object.keys(by).sort()).toEqual([
      'bad-summary',
      'corrupt-config',
      'done',
      'half-written',
      'killed',
      'no-config-yet',
      'no-lock',
      'remote-busy',
      'remote-quiet',
      'training',
    ]);
    expect(by.done).toMatchObject({
      status: 'done',
      objective: 'elbo',
      latent: 4,
      dataset: 'mnist',
      steps: 30,
      testElbo: -95.5,
      testNll: 91.25,
      nllK: 100,
      activeUnits: 2,
      hasReport: false,
      problems: [],
    });
    expect(by['half-written']).toMatchObject({ status: 'stopped', objective: 'beta β=4', steps: 20 });
    expect(by['half-written'].problems).toEqual(['metrics.jsonl ends in an unfinished line', 'no checkpoint yet']);
    expect(by['corrupt-config'].status).toBe('failed');
    expect(by['corrupt-config'].problems[0]).toMatch(/^config\.json does not parse/);
    expect(by['bad-summary'].status).toBe('failed');
    expect(by['bad-summary'].problems[0]).toMatch(/^summary\.json does not parse/);
    expect(by.training.status).toBe('training');
    expect(by.killed.status).toBe('stopped');
    expect(by.killed.problems[0]).toMatch(/^its process \(pid \d+\) ended without finishing/);
    expect(by['no-lock'].status).toBe('stopped');
    expect(by['remote-busy'].status).toBe('training');
    expect(by['remote-quiet'].status).toBe('stopped');
    expect(by['no-config-yet']).toMatchObject({ status: 'failed', problems: ['config.json is missing', 'no checkpoint yet'] });
  });

  it('lists 500 runs', () => {
    const many = join(base, 'many');
    for (let i = 0; i < 500; i++) {
      mkdirSync(join(many, `r${i}`), { recursive: true });
      writeFileSync(join(many, `r${i}`, 'config.json'), JSON.stringify(config(1 + (i % 3))));
      writeFileSync(join(many, `r${i}`, 'metrics.jsonl'), `${train(10)}\n${train(i + 11)}\n`);
    }
    const rows = listRuns(realRoot(many));
    expect(rows).toHaveLength(500);
    expect(rows.find((r) => r.name === 'r499')).toMatchObject({ steps: 510, objective: 'beta β=2' });
  });
});

describe('readMetricsFrom', () => {
  it('reads complete lines, skips bad ones and leaves an unfinished last line for the next read', () => {
    const p = join(root, 'half-written', 'metrics.jsonl');
    const a = readMetricsFrom(p);
    expect(a.records.map((r) => r.step)).toEqual([10, 20]);
    expect(a.partial).toBe(true);
    expect(readMetricsFrom(join(root, 'corrupt-config', 'metrics.jsonl'))).toMatchObject({
      bad: 1,
      partial: false,
      records: [expect.objectContaining({ step: 5 })],
    });
    const mixed = join(base, 'mixed.jsonl');
    writeFileSync(mixed, `${train(1)}\n{"kind":"evolution","step":1}\n[1,2]\nnull\n${train(2)}\n`);
    expect(readMetricsFrom(mixed)).toMatchObject({
      bad: 2,
      partial: false,
      records: [expect.objectContaining({ step: 1 }), expect.objectContaining({ step: 2 })],
    });
    expect(readMetricsFrom(join(root, 'nothing-here.jsonl'))).toEqual({ records: [], offset: 0, bad: 0, partial: false });
  });
});

describe('the dashboard server', () => {
  let server: RunningDashboard;
  beforeAll(async () => {
    server = await serveDashboard({ root, port: 0, pollMs: 100 });
  });
  afterAll(() => server.close());

  it('binds to 127.0.0.1 by default and serves the page', async () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/`);
    const page = await raw(server.port, '/');
    expect(page.status).toBe(200);
    expect(page.body).toContain('<script type="module" src="/app.js">');
  });

  it('answers run details, metrics and files inside a run', async () => {
    const detail = JSON.parse((await raw(server.port, '/api/runs/done')).body);
    expect(detail.row.status).toBe('done');
    expect(detail.files).toEqual(['inside.svg', 'leak.png', 'link-inside.svg', 'samples-mean.png']);
    const metrics = JSON.parse((await raw(server.port, '/api/runs/half-written/metrics')).body);
    expect(metrics.records).toHaveLength(2);
    expect(await raw(server.port, '/api/runs/done/files/report/samples-mean.png')).toEqual({ status: 200, body: 'not really a png' });
    // a symlink that stays inside the runs folder is followed
    expect(await raw(server.port, '/api/runs/done/files/report/link-inside.svg')).toEqual({ status: 200, body: '<svg/>' });
  });

  it.each([
    '/api/runs/done/files/../../secret.txt',
    '/api/runs/done/files/report/../../../secret.txt',
    '/api/runs/done/files/%2e%2e/%2e%2e/secret.txt',
    '/api/runs/done/files/%2E%2E/%2E%2E/secret.txt',
    '/api/runs/done/files/..%2f..%2fsecret.txt',
    '/api/runs/done/files/..%5c..%5csecret.txt',
    `/api/runs/done/files/${encodeURIComponent(join(base, 'secret.txt'))}`,
    `/api/runs/done/files/${join(base, 'secret.txt')}`,
    '/api/runs/done/files/report/leak.png',
    '/api/runs/..%2f/files/secret.txt',
    '/api/runs/%2e%2e/files/secret.txt',
    '/api/runs/linked-run/files/config.json',
    '/api/runs/linked-run',
    '/api/runs/done/files/%00',
    '/../secret.txt',
    '/%2e%2e/secret.txt',
  ])('never serves a file outside the runs folder: %s', async (path) => {
    const r = await raw(server.port, path);
    expect(r.body).not.toContain(SECRET);
    expect(r.body).not.toContain('"kind":"vae"');
    expect(r.status).toBe(404);
  });

  it('answers the explorer of a run it cannot load with the reason, not a crash', async () => {
    const corrupt = await raw(server.port, '/api/runs/corrupt-config/explore');
    expect(corrupt.status).toBe(422);
    expect(JSON.parse(corrupt.body).error).toMatch(/cannot load the run in .*corrupt-config/);
    const half = await raw(server.port, '/api/runs/half-written/explore');
    expect(half.status).toBe(422);
    expect(JSON.parse(half.body).error).toMatch(/has no checkpoint/); // the fake config lacks sections
    expect((await raw(server.port, '/api/runs/done')).status).toBe(200); // still serving
  });

  it('answers only under localhost names when bound to 127.0.0.1 (no DNS rebinding)', async () => {
    expect((await raw(server.port, '/api/runs', 'GET', { Host: 'evil.example:80' })).status).toBe(403);
    expect((await raw(server.port, '/api/runs', 'GET', { Host: `127.0.0.1.evil.example:${server.port}` })).status).toBe(403);
    expect((await raw(server.port, '/api/runs', 'GET', { Host: `localhost:${server.port}` })).status).toBe(200);
    expect((await raw(server.port, '/api/runs', 'GET', { Host: `[::1]:${server.port}` })).status).toBe(200);
  });

  it('has no endpoint that writes', async () => {
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
      expect((await raw(server.port, '/api/runs/done', method)).status).toBe(404);
      expect((await raw(server.port, '/api/runs/done/files/report/samples-mean.png', method)).status).toBe(404);
    }
  });

  it('streams the records appended to metrics.jsonl as server-sent events', async () => {
    const p = join(root, 'training', 'metrics.jsonl');
    const { offset } = readMetricsFrom(p);
    const ac = new AbortController();
    const res = await fetch(`${server.url}api/runs/training/stream?from=${offset}`, { signal: ac.signal });
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
    const reader = res.body!.getReader();
    let text = '';
    const until = async (re: RegExp) => {
      while (!re.test(text)) text += new TextDecoder().decode((await reader.read()).value);
    };
    await until(/event: status\ndata: .*"status":"training"/);
    appendFileSync(p, `${train(20)}\n{"kind":"train",`);
    await until(/event: metrics\ndata: .*"step":20/);
    expect(text).not.toMatch(/"step":10\b/);
    appendFileSync(p, `"step":30,"epoch":3,"elbo":-70,"kl":1}\n`);
    await until(/"step":30/);
    writeFileSync(join(root, 'training', 'summary.json'), JSON.stringify({ steps: 30, stopped: 'done' }));
    await until(/event: status\ndata: .*"status":"done"/);
    ac.abort();
  });
});
