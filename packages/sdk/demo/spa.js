// A tiny client-side router: the pricing view (with the experiment's #headline) is rendered only
// after a route change, the way a single-page app renders it, so Samplit must apply the variant to
// an element that did not exist when the experiment ran.
const view = document.getElementById('view');

function render() {
  const route = location.hash.replace(/^#/, '') || '/';
  view.replaceChildren();
  if (route === '/pricing') {
    view.textContent = 'Loading…';
    // Simulate fetching the view's data.
    setTimeout(() => {
      view.innerHTML =
        '<h1 id="headline">Grow faster with Samplit</h1>' +
        '<p>Plans from $0. Upgrade when the winner is clear.</p>' +
        '<p><a id="cta" class="cta" href="signup.html" data-samplit-goal="signup">Start free trial</a></p>';
    }, 150);
  } else {
    view.innerHTML = '<h2 id="dashboard">Dashboard</h2><p>Choose "Pricing" to render the pricing view.</p>';
  }
}

for (const button of document.querySelectorAll('[data-route]')) {
  button.addEventListener('click', () => {
    history.pushState(null, '', button.dataset.route);
    render();
  });
}
addEventListener('popstate', render);
render();
