#pragma once

#include "profile/ConnectionProfile.h"

#include <QNetworkProxy>
#include <QString>

namespace relaydeck {

// The QNetworkProxy a test's socket uses for a profile. SOCKS5 and HTTP CONNECT resolve the SMTP
// host on the proxy (remote DNS); "system" asks the platform for the proxy of smtp://host:port.
class ProxyConfiguration
{
public:
    static QNetworkProxy proxyFor(const ConnectionProfile& profile, const QString& password);
    // True when Relaydeck speaks HTTP CONNECT itself (explicit HTTP proxy with Basic or no
    // credentials); with a domain (NTLM) or a system proxy, Qt speaks to the proxy.
    static bool tunnelsItself(const ConnectionProfile& profile);
    // True when the proxy, not this machine, resolves the SMTP host name.
    static bool resolvesRemotely(const QNetworkProxy& proxy);
    // For reports: "none", "system", "socks5://user@host:1080", "http://host:3128".
    static QString describe(const ConnectionProfile& profile);
};

} // namespace relaydeck
