#include "detect/ProviderDirectory.h"

#include <QList>

#include <utility>

using namespace Qt::StringLiterals;

namespace relaydeck {

namespace {

// True when `host` is `domain` or one of its subdomains.
bool inDomain(const QString& host, const QString& domain)
{
    return host == domain || host.endsWith(u'.' + domain);
}

QString normalized(const QString& name)
{
    QString result = name.trimmed().toLower();
    while (result.endsWith(u'.'))
        result.chop(1);
    return result;
}

} // namespace

QString ProviderDirectory::presetForDomain(const QString& domain)
{
    static const QList<std::pair<QString, QString>> domains{
        {u"gmail.com"_s, u"gmail"_s},      {u"googlemail.com"_s, u"gmail"_s},
        {u"outlook.com"_s, u"outlook"_s},  {u"hotmail.com"_s, u"outlook"_s},
        {u"live.com"_s, u"outlook"_s},     {u"msn.com"_s, u"outlook"_s},
        {u"yahoo.com"_s, u"yahoo"_s},      {u"ymail.com"_s, u"yahoo"_s},
        {u"icloud.com"_s, u"icloud"_s},    {u"me.com"_s, u"icloud"_s},
        {u"mac.com"_s, u"icloud"_s},       {u"fastmail.com"_s, u"fastmail"_s},
        {u"fastmail.fm"_s, u"fastmail"_s}, {u"zoho.com"_s, u"zoho"_s},
        {u"zohomail.com"_s, u"zoho"_s},
    };
    const QString name = normalized(domain);
    for (const auto& [known, preset] : domains)
        if (name == known)
            return preset;
    return {};
}

QString ProviderDirectory::presetForMxHost(const QString& mxHost)
{
    // Suffixes of the MX hosts providers give their customers' domains.
    static const QList<std::pair<QString, QString>> suffixes{
        {u"mail.protection.outlook.com"_s, u"office365"_s},
        {u"google.com"_s, u"gmail"_s},
        {u"googlemail.com"_s, u"gmail"_s},
        {u"messagingengine.com"_s, u"fastmail"_s},
        {u"zoho.com"_s, u"zoho"_s},
        {u"zoho.eu"_s, u"zoho"_s},
        {u"mail.icloud.com"_s, u"icloud"_s},
        {u"yahoodns.net"_s, u"yahoo"_s},
    };
    const QString host = normalized(mxHost);
    for (const auto& [suffix, preset] : suffixes)
        if (inDomain(host, suffix))
            return preset;
    return {};
}

} // namespace relaydeck
