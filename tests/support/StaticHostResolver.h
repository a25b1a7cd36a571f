#pragma once

#include "smtp/HostResolver.h"

#include <QHash>

namespace relaydeck::test {

// A HostResolver with fixed answers: a name resolves to the addresses given for it, in that
// order (as a resolver returns AAAA and A records); any other name fails. Answers come from the
// event loop, as the system resolver's do.
class StaticHostResolver : public HostResolver
{
public:
    void add(const QString& host, const QList<QHostAddress>& addresses);

    int lookup(const QString& host, QObject* context, Done done) const override;
    void abort(int) const override {}

    mutable int lookups = 0;

private:
    QHash<QString, QList<QHostAddress>> m_answers;
};

} // namespace relaydeck::test
