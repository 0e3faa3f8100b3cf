# Varnish 7 in front of Newsroom (Debian's varnish + varnish-modules for xkey).
#
# The site decides what may be shared; this file only follows its headers:
# - Requests carrying the session cookie (signed in, a cart, a message) are
#   passed: a shared copy must never reach, or be made from, a session.
# - Other cookies (the CSRF token, the terms answer) change nothing a shared
#   page shows, so they are left out of the cache lookup. A page that renders
#   them says `private` and is never stored.
# - Only responses that say `Cache-Control: public` are stored, for their
#   `s-maxage`; `stale-while-revalidate` becomes grace, and while Django is
#   down (its /healthz probe fails) stale copies are served for up to a day.
# - Each stored page is indexed under the tags of its `xkey` header; the site
#   purges tags with `PURGE` + `xkey-purge: <tags>`, accepted from the
#   `purgers` addresses only.
#
# The backend lives in newsroom-backend.vcl beside this file (its own file, so
# that this one is used as shipped); see the README's "Serving at scale".
vcl 4.1;

import std;
import xkey;

include "newsroom-backend.vcl";

# Who may purge: the site's own servers. Add their addresses here.
acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(403, "Purging is for the site only"));
        }
        if (!req.http.xkey-purge) {
            return (synth(400, "PURGE needs an xkey-purge header"));
        }
        set req.http.X-Purged = xkey.purge(req.http.xkey-purge);
        return (synth(200, "Purged " + req.http.X-Purged + " objects"));
    }
    # Tracking parameters never change a page: drop them so that every
    # campaign link shares one copy (the site ignores them too).
    if (req.url ~ "[?&](utm_[a-z]+|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|_ga)=") {
        set req.url = regsuball(req.url, "(utm_[a-z]+|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|_ga)=[^&]*&?", "");
        set req.url = regsub(req.url, "[?&]+$", "");
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    if (req.http.Authorization || req.http.Cookie ~ "(^|;\s*)sessionid=") {
        return (pass);
    }
    # While Django answers, grace is short: a stale copy is served only while
    # one fetch refreshes it. While it is down, everything the cache kept.
    if (std.healthy(req.backend_hint)) {
        set req.grace = 30s;
    }
    return (hash);
}

sub vcl_hash {
    # Cookies are not part of the key: see the note at the top.
    hash_data(req.url);
    if (req.http.host) {
        hash_data(std.tolower(req.http.host));
    }
    return (lookup);
}

sub vcl_backend_response {
    if (bereq.uncacheable) {
        return (deliver);
    }
    if (beresp.http.Set-Cookie || beresp.http.Cache-Control !~ "(^|[ ,])public([ ,]|$)"
        || beresp.http.Cache-Control ~ "private|no-store|no-cache") {
        # Not ours to share. Remember that for a short while, so that the
        # next requests for it go straight to Django instead of queueing.
        set beresp.uncacheable = true;
        set beresp.ttl = 10s;
        return (deliver);
    }
    # `public` is the site's word that no cookie but the session changes
    # this page (one that renders a CSRF token sets its cookie, and is never
    # stored), so its `Vary: Cookie` must not split the shared copy.
    if (beresp.http.Vary) {
        set beresp.http.Vary = regsuball(beresp.http.Vary, "(?i)(^|,)\s*Cookie\s*(,|$)", "\1");
        set beresp.http.Vary = regsub(beresp.http.Vary, "^,|,$", "");
        if (beresp.http.Vary == "") {
            unset beresp.http.Vary;
        }
    }
    # Pages, feeds and sitemaps are stored compressed, once, and sent so to
    # every reader who accepts gzip (Varnish unzips for those who do not).
    # Only the shared public copies: nothing here carries a CSRF token or a
    # secret, so compressing them gives BREACH nothing to read.
    if (!beresp.http.Content-Encoding
        && beresp.http.Content-Type ~ "^(text/|application/(json|feed\+json|rss\+xml|atom\+xml|xml|ld\+json))") {
        set beresp.do_gzip = true;
    }
    # Kept for a day past its time, for when Django is down.
    set beresp.keep = 0s;
    if (beresp.grace < 24h) {
        set beresp.grace = 24h;
    }
    return (deliver);
}

sub vcl_deliver {
    # Tags are for this cache, not for readers.
    unset resp.http.xkey;
    if (obj.uncacheable) {
        set resp.http.X-Cache = "PASS";
    } elsif (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
    # Browsers revalidate with the site's own max-age; s-maxage is for us.
}
