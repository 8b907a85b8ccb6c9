'use strict';
/**
 * An autocannon `setupRequest` (api-bench.ts): every `[<n>]` of the request
 * body becomes a tag unique to this request. autocannon loads it by path in
 * its worker thread, hence plain CommonJS. (autocannon's own `idReplacement`
 * announces a Content-Length for 27-character ids, longer than the ids it
 * inserts, so the server waits for bytes that never come.)
 */
const { threadId } = require('node:worker_threads');

const tag = `${process.pid.toString(36)}${threadId.toString(36)}${Date.now().toString(36)}`;
let n = 0;

module.exports = function distinctBody(req) {
  if (typeof req.body === 'string') req.body = req.body.replace(/\[<n>\]/g, () => `${tag}-${(n++).toString(36)}`);
  return req;
};
