#pragma once

#include <QHostAddress>
#include <QList>
#include <QString>

#include <functional>

class QObject;

namespace relaydeck {

// Turns a host name into its addresses (AAAA and A records): the seam where tests put names that
// resolve to addresses of their choosing (e.g. a silent ::1 and a live 127.0.0.1).
class HostResolver
{
public:
    // `addresses` empty: the lookup failed and `error` says why.
    using Done = std::function<void(const QList<QHostAddress>& addresses, const QString& error)>;

    virtual ~HostResolver() = default;
    // Starts a lookup; `done` runs later from the event loop, unless `context` is destroyed or
    // abort() is called with the returned id first.
    virtual int lookup(const QString& host, QObject* context, Done done) const = 0;
    virtual void abort(int lookupId) const = 0;

    // The system's resolver (QHostInfo).
    static const HostResolver& system();
};

} // namespace relaydeck
