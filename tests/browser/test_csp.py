"""The Content-Security-Policy is on and nothing a person uses trips it: charts, htmx, the API docs."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def _watch(page):
    """Collect the browser's CSP violation reports of ``page``."""
    violations = []
    page.on("console", lambda msg: violations.append(msg.text)
            if "Content Security Policy" in msg.text else None)
    page.add_init_script("document.addEventListener('securitypolicyviolation', e => "
                         "console.error('Content Security Policy: ' + e.violatedDirective + ' ' + e.blockedURI))")
    return violations


def test_pages_work_under_the_policy(users, page, login, live_server):
    violations = _watch(page)
    login(users["city_admin"].username)
    page.wait_for_selector("[data-echarts][data-rendered='1']", timeout=10000)
    response = page.goto(f"{live_server.url}/registry/enterprises/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    # htmx is loaded and running (it adds its indicator style with the page's nonce).
    assert page.evaluate("typeof htmx !== 'undefined' && !!htmx.version")
    page.goto(f"{live_server.url}/api/docs/")
    page.wait_for_selector(".swagger-ui .opblock", timeout=15000)
    assert violations == [], "\n".join(violations)


def test_an_injected_inline_script_is_refused(users, page, login, live_server):
    violations = _watch(page)
    login(users["city_admin"].username)
    page.evaluate("""() => { const s = document.createElement('script'); s.textContent = 'window.pwned = 1';
                              document.body.appendChild(s); }""")
    assert page.evaluate("window.pwned === undefined")
    assert any("script-src" in v for v in violations)
