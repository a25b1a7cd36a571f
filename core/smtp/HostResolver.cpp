#include "smtp/HostResolver.h"

#include <QHostInfo>

namespace relaydeck {

namespace {

class SystemHostResolver : public HostResolver
{
public:
    int lookup(const QString& host, QObject* context, Done done) const override
    {
        return QHostInfo::lookupHost(host, context, [done](const QHostInfo& info) {
            if (info.error() != QHostInfo::NoError || info.addresses().isEmpty())
                done({}, info.errorString());
            else
                done(info.addresses(), QString());
        });
    }

    void abort(int lookupId) const override { QHostInfo::abortHostLookup(lookupId); }
};

} // namespace

const HostResolver& HostResolver::system()
{
    static const SystemHostResolver resolver;
    return resolver;
}

} // namespace relaydeck
