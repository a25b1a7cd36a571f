#include "smtp/ProxyConfiguration.h"

#include <QNetworkProxyFactory>
#include <QNetworkProxyQuery>

using namespace Qt::StringLiterals;

namespace relaydeck {

QNetworkProxy ProxyConfiguration::proxyFor(const ConnectionProfile& profile,
                                           const QString& password)
{
    const ProxySettings& settings = profile.proxy;
    switch (settings.type) {
    case ProxyType::None:
        break;
    case ProxyType::System: {
        const QNetworkProxyQuery query(profile.host, static_cast<quint16>(profile.effectivePort()),
                                       u"smtp"_s, QNetworkProxyQuery::TcpSocket);
        const QList<QNetworkProxy> proxies = QNetworkProxyFactory::systemProxyForQuery(query);
        // Only proxies that can tunnel a raw TCP stream are usable for SMTP.
        for (const QNetworkProxy& proxy : proxies) {
            if (proxy.type() == QNetworkProxy::Socks5Proxy ||
                proxy.type() == QNetworkProxy::HttpProxy)
                return proxy;
        }
        break;
    }
    case ProxyType::Socks5:
    case ProxyType::Http: {
        QNetworkProxy proxy(settings.type == ProxyType::Socks5 ? QNetworkProxy::Socks5Proxy
                                                               : QNetworkProxy::HttpProxy,
                            settings.host, static_cast<quint16>(settings.port));
        if (!settings.username.isEmpty()) {
            proxy.setUser(settings.domain.isEmpty() ? settings.username
                                                    : settings.domain + u'\\' + settings.username);
            proxy.setPassword(password);
        }
        // SMTP needs a tunnel: CONNECT for HTTP proxies, and the proxy resolves the host name.
        proxy.setCapabilities(QNetworkProxy::TunnelingCapability |
                              QNetworkProxy::HostNameLookupCapability);
        return proxy;
    }
    }
    return QNetworkProxy(QNetworkProxy::NoProxy);
}

bool ProxyConfiguration::tunnelsItself(const ConnectionProfile& profile)
{
    return profile.proxy.type == ProxyType::Http && profile.proxy.domain.isEmpty();
}

bool ProxyConfiguration::resolvesRemotely(const QNetworkProxy& proxy)
{
    return proxy.type() != QNetworkProxy::NoProxy && proxy.type() != QNetworkProxy::DefaultProxy &&
           proxy.capabilities().testFlag(QNetworkProxy::HostNameLookupCapability);
}

QString ProxyConfiguration::describe(const ConnectionProfile& profile)
{
    const ProxySettings& settings = profile.proxy;
    switch (settings.type) {
    case ProxyType::None:
        return u"none"_s;
    case ProxyType::System:
        return u"system"_s;
    case ProxyType::Socks5:
    case ProxyType::Http:
        break;
    }
    const QString user = settings.username.isEmpty() ? QString() : settings.username + u'@';
    return (settings.type == ProxyType::Socks5 ? u"socks5://"_s : u"http://"_s) + user +
           settings.host + u':' + QString::number(settings.port);
}

} // namespace relaydeck
