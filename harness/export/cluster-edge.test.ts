import { describe, expect, it } from 'vitest';
import { clusterEdge } from './cluster-edge.ts';

describe('clusterEdge (--target-url)', () => {
  it('gives the HTTP and WebSocket URLs of the edge, TLS kept', () => {
    expect(clusterEdge('https://pusher.example.com')).toEqual({ http: 'https://pusher.example.com', ws: 'wss://pusher.example.com' });
    expect(clusterEdge('http://pusher.loadtest.svc.cluster.local:8080')).toEqual({ http: 'http://pusher.loadtest.svc.cluster.local:8080', ws: 'ws://pusher.loadtest.svc.cluster.local:8080' });
    expect(clusterEdge('http://10.20.30.40:80')).toEqual({ http: 'http://10.20.30.40', ws: 'ws://10.20.30.40' });
  });

  it('is required', () => {
    expect(() => clusterEdge(undefined)).toThrow(/--target-url is required: the exported load goes to your cluster, not to this machine/);
    expect(() => clusterEdge('')).toThrow(/--target-url is required/);
  });

  it('refuses loopback: in a runner pod it is the pod itself', () => {
    for (const url of ['http://127.0.0.1:8080', 'http://127.1.2.3', 'http://localhost:80', 'https://[::1]:443', 'http://0.0.0.0:80', 'http://api.localhost']) {
      expect(() => clusterEdge(url), url).toThrow(/a loopback address inside a k6 runner pod is the pod itself/);
    }
  });

  it('refuses what the scripts cannot append to or take', () => {
    expect(() => clusterEdge('pusher.example.com')).toThrow(/not a URL/);
    expect(() => clusterEdge('ws://pusher.example.com')).toThrow(/expected http:\/\/ or https:\/\//);
    expect(() => clusterEdge('https://pusher.example.com/api')).toThrow(/without a path/);
    expect(() => clusterEdge('https://pusher.example.com/')).toThrow(/trailing slash/);
    expect(() => clusterEdge('https://pusher.example.com?x=1')).toThrow(/without a path, query/);
    expect(() => clusterEdge('https://u:p@pusher.example.com')).toThrow(/no credentials/);
    expect(() => clusterEdge('https://[2001:db8::1]:443')).toThrow(/IPv6 literals are not taken/);
  });
});
