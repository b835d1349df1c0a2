import type { Middleware } from 'koa';

const CSS = `body{font-family:system-ui,sans-serif;background:#f4f5f7;color:#1b1d21;margin:0;display:flex;min-height:100vh;align-items:center;justify-content:center}
.card{background:#fff;max-width:24rem;width:100%;padding:2rem;border-radius:.5rem;box-shadow:0 1px 4px rgba(0,0,0,.15)}
h1{font-size:1.4rem;margin:0 0 1rem}label{display:block;margin:.8rem 0 .2rem;font-weight:600}
input[type=text],input[type=password]{width:100%;box-sizing:border-box;padding:.5rem;border:1px solid #8a8f98;border-radius:.3rem;font-size:1rem}
button{margin-top:1rem;width:100%;padding:.6rem;border:0;border-radius:.3rem;background:#1f5fbf;color:#fff;font-size:1rem;cursor:pointer}
button.secondary{background:#e3e5e8;color:#1b1d21}.alert{background:#fdecea;color:#8a1c12;padding:.6rem;border-radius:.3rem}
pre{white-space:pre-wrap;word-break:break-all;background:#f4f5f7;padding:.5rem;font-size:.8rem}code{font-size:.9em}`;

/** The one stylesheet of Tessera's pages, served from this origin. */
export function assets(): Middleware {
  return async (ctx, next) => {
    if (ctx.path !== '/assets/tessera.css') return next();
    ctx.set('Cache-Control', 'public, max-age=3600');
    ctx.type = 'text/css; charset=utf-8';
    ctx.body = CSS;
  };
}
