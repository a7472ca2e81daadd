import assert from 'node:assert/strict';
import { MAX_HISTORY_SECONDS, QueryError, parseHistoryQuery } from '../../src/api/query.js';
import { SSE_HEARTBEAT, sseEvent, sseRetry } from '../../src/api/sse.js';

describe('parseHistoryQuery', () => {
  it('takes a whole number of seconds, or nothing for the whole ring', () => {
    assert.deepEqual(parseHistoryQuery('seconds=60'), { seconds: 60 });
    assert.deepEqual(parseHistoryQuery(''), { seconds: undefined });
    assert.deepEqual(parseHistoryQuery(`seconds=${MAX_HISTORY_SECONDS}`), { seconds: MAX_HISTORY_SECONDS });
  });

  it('refuses anything else with a message that names the value', () => {
    const cases: [string, string][] = [
      ['seconds=abc', 'seconds must be a whole number from 1 to 604800, got "abc"'],
      ['seconds=0', 'seconds must be a whole number from 1 to 604800, got "0"'],
      ['seconds=-5', 'seconds must be a whole number from 1 to 604800, got "-5"'],
      ['seconds=1.5', 'seconds must be a whole number from 1 to 604800, got "1.5"'],
      ['seconds=60s', 'seconds must be a whole number from 1 to 604800, got "60s"'],
      ['seconds=', 'seconds must be a whole number from 1 to 604800, got ""'],
      ['seconds=604801', 'seconds must be a whole number from 1 to 604800, got "604801"'],
      ['seconds=1&seconds=2', 'seconds given more than once'],
      ['secs=60', 'unknown query parameter "secs" (known: seconds)'],
    ];
    for (const [q, message] of cases) {
      assert.throws(() => parseHistoryQuery(q), (err: unknown) => err instanceof QueryError && err.message === message, q);
    }
  });
});

describe('server-sent event framing', () => {
  it('writes id, event and data fields and ends with a blank line', () => {
    assert.equal(sseEvent('interfaces', '{"a":1}', 7), 'id: 7\nevent: interfaces\ndata: {"a":1}\n\n');
    assert.equal(sseEvent('x', 'y'), 'event: x\ndata: y\n\n');
  });

  it('gives every line of a payload its own data field, so no payload can end an event early', () => {
    assert.equal(sseEvent('e', 'a\n\nb\r\nc\rd'), 'event: e\ndata: a\ndata: \ndata: b\ndata: c\ndata: d\n\n');
  });

  it('has a comment heartbeat and a retry hint', () => {
    assert.equal(SSE_HEARTBEAT, ': heartbeat\n\n');
    assert.equal(sseRetry(2000), 'retry: 2000\n\n');
  });
});
