#pragma once

#include "common/AdviceWording.h"
#include "detect/DetectedCandidate.h"
#include "profile/ConnectionProfile.h"

#include <QCoreApplication>
#include <QList>
#include <QString>

namespace relaydeck::ui {

// The desktop app's words for core's advice: every setting is named by the editor's tab and field
// (or the button that changes it), "Encryption tab → CA file", in one table (DesktopWording.cpp).
class DesktopWording : public AdviceWording
{
    Q_DECLARE_TR_FUNCTIONS(DesktopWording)

public:
    QString where(const SettingChanges& changes) const override;
    using AdviceWording::where;
    QString missingSecret(const MissingSecret& missing) const override;

    // Where a setting is changed: the widget (by objectName) and the editor tab that holds it
    // (empty: the widget is outside the editor's tabs, e.g. the test panel's buttons).
    struct Place
    {
        QString tabObjectName;
        QString widgetObjectName;
    };
    // Every place the table names for `setting`.
    static QList<Place> places(Setting setting);

    // A security mode as the editor names it ("None", "STARTTLS", "Implicit TLS").
    static QString securityWords(Security security);
    // Where a detected candidate came from ("Provider preset", "DNS SRV record", ...).
    static QString sourceWords(CandidateSource source);
    // Why a detected candidate is (not) usable, for the Detect dialog's Verdict column.
    static QString verdictWords(const DetectedCandidate& candidate);

    static const DesktopWording& instance();
};

} // namespace relaydeck::ui
