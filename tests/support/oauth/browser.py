#!/usr/bin/env python3
"""A scripted user agent for the $BROWSER hook of `relaydeck-cli login`: follows the authorization
URL, logs in to oidc-provider's development forms and consents, then follows the redirect back to
Relaydeck's listener, over plain HTTP with a cookie jar. Given the device flow's verification URL
(with its user_code), it submits the code, logs in and consents the same way: the user's part of
the device authorization grant.

    browser.py URL
Environment: OAUTH_TEST_USER (the account to log in as, default tester@example.com),
OAUTH_TEST_DENY=1 (abort the consent instead of accepting it), OAUTH_BROWSER_LOG (a file that
gets the URLs visited, without their query strings)."""
import http.cookiejar
import os
import re
import sys
import urllib.parse
import urllib.request


def log(text):
    path = os.environ.get("OAUTH_BROWSER_LOG")
    if path:
        with open(path, "a", encoding="utf-8") as f:
            f.write(text + "\n")


def main():
    url = sys.argv[1]
    user = os.environ.get("OAUTH_TEST_USER", "tester@example.com")
    deny = os.environ.get("OAUTH_TEST_DENY") == "1"
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    response = opener.open(url, timeout=20)
    for _ in range(6):
        page = response.read().decode("utf-8", "replace")
        log(urllib.parse.urlsplit(response.geturl())._replace(query="").geturl())
        form = re.search(r'<form[^>]*action="([^"]+)"', page)
        device = form and urllib.parse.urlsplit(form.group(1)).path.endswith("/device")
        if not form or ("/interaction/" not in form.group(1) and not device):
            return 0  # the redirect reached the listener (or the device flow's success page)
        action = urllib.parse.urljoin(response.geturl(), form.group(1))
        fields = dict(re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', page))
        if fields.get("prompt") == "login" or 'name="login"' in page:
            fields.update({"login": user, "password": "any"})
        elif deny:
            # The consent page's "cancel" link: the provider redirects with access_denied.
            abort = re.search(r'href="([^"]+/abort)"', page)
            response = opener.open(urllib.parse.urljoin(response.geturl(), abort.group(1)),
                                   timeout=20)
            continue
        response = opener.open(action, data=urllib.parse.urlencode(fields).encode(), timeout=20)
    return 1


if __name__ == "__main__":
    sys.exit(main())
