#pragma once

#include <QString>

namespace relaydeck {

// Maps a mail domain, or one of its MX hosts, to a provider preset id (Presets). Empty when
// the domain or host belongs to no provider we know (e.g. *.pphosted.com filters).
class ProviderDirectory
{
public:
    static QString presetForDomain(const QString& domain);
    static QString presetForMxHost(const QString& mxHost);
};

} // namespace relaydeck
