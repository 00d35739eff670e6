// Test-only shim, preloaded with `node --require`: the conformance runner has no option for a bearer
// token, so this adds `Authorization: Bearer $WRIT_CONFORMANCE_TOKEN` to every request it sends to
// $WRIT_CONFORMANCE_ORIGIN (the gateway). It replaces undici's global dispatcher, which both Node's
// fetch and undici's own request() use, so every scenario's requests carry the task token.
'use strict';

const { Agent, setGlobalDispatcher } = require('undici');

const token = process.env.WRIT_CONFORMANCE_TOKEN;
const origin = process.env.WRIT_CONFORMANCE_ORIGIN;
if (!token || !origin) {
  throw new Error('bearer.cjs needs WRIT_CONFORMANCE_TOKEN and WRIT_CONFORMANCE_ORIGIN');
}

const target = new URL(origin).origin;

function hasAuthorization(names) {
  return names.some((name) => String(name).toLowerCase() === 'authorization');
}

// undici passes headers as a flat [name, value, ...] array, an array of pairs, an iterable or a plain object.
function withBearer(headers) {
  const value = `Bearer ${token}`;
  if (headers == null) {
    return { authorization: value };
  }
  if (Array.isArray(headers)) {
    if (headers.length > 0 && Array.isArray(headers[0])) {
      return hasAuthorization(headers.map((pair) => pair[0])) ? headers : [...headers, ['authorization', value]];
    }
    const names = headers.filter((_, i) => i % 2 === 0);
    return hasAuthorization(names) ? headers : [...headers, 'authorization', value];
  }
  if (typeof headers[Symbol.iterator] === 'function') {
    return withBearer([...headers]);
  }
  return hasAuthorization(Object.keys(headers)) ? headers : { ...headers, authorization: value };
}

function bearerInterceptor(dispatch) {
  return (options, handler) => {
    const requestOrigin = options.origin ? new URL(String(options.origin)).origin : undefined;
    if (requestOrigin !== target) {
      return dispatch(options, handler);
    }
    return dispatch({ ...options, headers: withBearer(options.headers) }, handler);
  };
}

setGlobalDispatcher(new Agent().compose(bearerInterceptor));
