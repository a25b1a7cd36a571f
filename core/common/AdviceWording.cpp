#include "common/AdviceWording.h"

#include <QStringList>

using namespace Qt::StringLiterals;

namespace relaydeck {

QString SettingIdWording::where(const SettingChanges& changes) const
{
    QStringList words;
    for (const SettingChange& change : changes)
        words << (change.value.isEmpty() ? settingId(change.setting)
                                         : settingId(change.setting) + u' ' + change.value);
    return words.join(u", "_s);
}

QString SettingIdWording::missingSecret(const MissingSecret& missing) const
{
    return missing.accessToken ? tr("No access token is stored for this connection (setting %1).")
                                     .arg(settingId(Setting::Password))
                               : tr("No password is stored for this connection (setting %1).")
                                     .arg(settingId(Setting::Password));
}

const SettingIdWording& SettingIdWording::instance()
{
    static const SettingIdWording wording;
    return wording;
}

} // namespace relaydeck
