// A small single-page app for the editor agent's browser test: a router on the document for the
// nav links (pushState), and a view that re-renders its CTA (a new element each time) on a timer,
// the way a framework re-renders on state changes. `window.__shop` records what the page did.
const shop = { renders: 0, ctaClicks: 0 };
window.__shop = shop;
const view = document.getElementById('view');

function render() {
  shop.renders++;
  const pricing = location.pathname === '/pricing';
  view.innerHTML =
    `<h1 id="headline">${pricing ? 'Plans for every team' : 'Grow faster'}</h1>` +
    `<p class="tagline">Render ${shop.renders}</p>` +
    '<button type="button" id="cta" class="cta">Start free trial</button>';
  document.getElementById('cta').addEventListener('click', () => shop.ctaClicks++);
}

document.addEventListener('click', (event) => {
  const link = event.target.closest('a[id^="nav-"]');
  if (!link) return;
  event.preventDefault();
  history.pushState(null, '', link.getAttribute('href'));
  render();
});
document.getElementById('go-away').addEventListener('click', () => {
  location.href = 'docs.html';
});
addEventListener('popstate', render);
render();
setInterval(render, 250);
