#pragma once

#include <QCoreApplication>
#include <QString>

class QWidget;

namespace relaydeck::ui {

class Prompter;

// Save report…: asks where (text or JSON, by the file's filter or ending) and writes the report
// there, telling the user when it cannot.
class ReportFile
{
    Q_DECLARE_TR_FUNCTIONS(ReportFile)

public:
    // `baseName` goes into the suggested file name (made safe for a file name); `text` and
    // `json` are the report in both forms.
    static void save(QWidget* parent, Prompter& prompter, const QString& title,
                     const QString& baseName, const QString& text, const QByteArray& json);
};

} // namespace relaydeck::ui
