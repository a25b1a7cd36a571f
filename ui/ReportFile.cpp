#include "ReportFile.h"

#include "Prompter.h"

#include <QRegularExpression>
#include <QSaveFile>

using namespace Qt::StringLiterals;

namespace relaydeck::ui {

void ReportFile::save(QWidget* parent, Prompter& prompter, const QString& title,
                      const QString& baseName, const QString& text, const QByteArray& json)
{
    const QString textFilter = tr("Text files (*.txt)");
    const QString jsonFilter = tr("JSON files (*.json)");
    QString selected = textFilter;
    QString base = baseName;
    base.replace(QRegularExpression(u"[^A-Za-z0-9._-]+"_s), u"-"_s);
    const QString path = prompter.saveFileName(parent, title, base + u".txt"_s,
                                               textFilter + u";;"_s + jsonFilter, &selected);
    if (path.isEmpty())
        return;
    const bool asJson = path.endsWith(u".json"_s, Qt::CaseInsensitive) || selected == jsonFilter;
    const QByteArray data = asJson ? json : text.toUtf8();
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(data) != data.size() || !file.commit()) {
        prompter.inform(
            parent, Prompter::Severity::Error, tr("Report Not Saved"),
            tr("The report could not be saved to %1: %2").arg(path, file.errorString()));
    }
}

} // namespace relaydeck::ui
