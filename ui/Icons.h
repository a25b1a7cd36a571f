#pragma once

#include <QIcon>
#include <QString>

namespace relaydeck::ui {

// The SVG icons embedded from resources/icons (":/relaydeck/icons/<name>.svg").
class Icons
{
public:
    static QIcon get(const QString& name);
    static QIcon application();
};

} // namespace relaydeck::ui
