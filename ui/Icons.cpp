#include "Icons.h"

#include <QHash>

using namespace Qt::StringLiterals;

namespace relaydeck::ui {

QIcon Icons::get(const QString& name)
{
    // QIcon caches its pixmaps per instance; keep one instance per name.
    static QHash<QString, QIcon> cache;
    auto it = cache.find(name);
    if (it == cache.end())
        it = cache.insert(name, QIcon(u":/relaydeck/icons/"_s + name + u".svg"_s));
    return *it;
}

QIcon Icons::application()
{
    static const QIcon icon(u":/relaydeck/relaydeck.svg"_s);
    return icon;
}

} // namespace relaydeck::ui
