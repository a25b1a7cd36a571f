#include "StaticHostResolver.h"

#include <QTimer>

using namespace Qt::StringLiterals;

namespace relaydeck::test {

void StaticHostResolver::add(const QString& host, const QList<QHostAddress>& addresses)
{
    m_answers.insert(host.toLower(), addresses);
}

int StaticHostResolver::lookup(const QString& host, QObject* context, Done done) const
{
    const QList<QHostAddress> addresses = m_answers.value(host.toLower());
    QTimer::singleShot(0, context, [addresses, done, host] {
        done(addresses,
             addresses.isEmpty() ? u"%1 is not a known test host"_s.arg(host) : QString());
    });
    return ++lookups;
}

} // namespace relaydeck::test
