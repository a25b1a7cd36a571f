#pragma once

#include "common/Setting.h"

#include <QCoreApplication>
#include <QString>

namespace relaydeck {

// A test that cannot run because the SMTP password (or access token) is missing.
struct MissingSecret
{
    bool accessToken = false; // the "password" is an OAuth 2.0 access token
    QString profileName;      // empty: an ad-hoc connection given on the command line
};

// How one front end words core's advice: where its reader changes a setting, and what to do when
// a secret is missing. relaydeck-cli (app/cli/CliWording) and the desktop app
// (ui/DesktopWording) each implement it with one table; SettingIdWording is the fallback.
class AdviceWording
{
public:
    virtual ~AdviceWording() = default;

    // Where the reader changes these settings (together): a front end's flags, or its tab and
    // field.
    virtual QString where(const SettingChanges& changes) const = 0;
    QString where(Setting setting, const QString& value = QString()) const
    {
        return where(SettingChanges{SettingChange{setting, value}});
    }
    // A whole sentence: what is missing and where to give it.
    virtual QString missingSecret(const MissingSecret& missing) const = 0;
};

// Names settings by their stable ids ("security tls"): for callers without a front end of their
// own (the engine's default, tests, tools).
class SettingIdWording : public AdviceWording
{
    Q_DECLARE_TR_FUNCTIONS(SettingIdWording)

public:
    QString where(const SettingChanges& changes) const override;
    using AdviceWording::where;
    QString missingSecret(const MissingSecret& missing) const override;

    static const SettingIdWording& instance();
};

} // namespace relaydeck
