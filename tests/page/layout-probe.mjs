// How much of each wire a class sees, measured in the page: the rows of
// bytes a wire's box shows inside the viewport (or all of its rows, when it
// has fewer), the lines of #explain shown, and the action buttons outside
// the viewport.
export async function measure(page) {
  return page.evaluate(() => {
    const vw = innerWidth;
    const vh = innerHeight;
    const shownHeight = (el) => {
      const r = el.getBoundingClientRect();
      return Math.max(0, Math.min(r.bottom, vh) - Math.max(r.top, 0));
    };
    const rows = (id) => {
      const wire = document.getElementById(id);
      const row = wire?.querySelector('.r');
      if (!wire?.offsetParent || !row) return 0;
      const all = wire.querySelectorAll('.r').length;
      const fit = Math.floor((shownHeight(wire) - 8) / row.getBoundingClientRect().height);
      return Math.min(all, fit) === all ? Infinity : fit;
    };
    const explain = document.getElementById('explain');
    const style = getComputedStyle(explain);
    const lineHeight = parseFloat(style.lineHeight) || parseFloat(style.fontSize) * 1.2;
    const explainLines = explain.offsetParent ? Math.floor(shownHeight(explain) / lineHeight) : 0;
    const actions = [...document.querySelectorAll('button')].filter((b) => b.offsetParent && !b.closest('dialog, #tree, .wire'));
    const outside = actions.filter((b) => {
      const r = b.getBoundingClientRect();
      return r.bottom > vh + 1 || r.right > vw + 1 || r.top < -1 || r.left < -1;
    });
    return {
      request: rows('request-wire'),
      response: rows('response-wire'),
      explain: explainLines,
      outside: outside.map((b) => b.id || b.textContent.trim()),
      scrolls: document.scrollingElement.scrollHeight > vh + 1,
    };
  });
}
