#include "WidgetPrompter.h"

#include "CertificateTrustDialog.h"
#include "DetectDialog.h"
#include "ExportDialog.h"
#include "ImportSelectionDialog.h"
#include "PresetDialog.h"

#include <QCoreApplication>
#include <QFileDialog>
#include <QInputDialog>
#include <QMessageBox>
#include <QPushButton>

using namespace Qt::StringLiterals;

namespace relaydeck::ui {

Prompter::UnsavedChangesAnswer WidgetPrompter::askUnsavedChanges(QWidget* parent,
                                                                 const QString& name)
{
    QMessageBox box(QMessageBox::Question, tr("Unsaved Changes"),
                    tr("The connection \"%1\" has unsaved changes.").arg(name),
                    QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, parent);
    box.setInformativeText(tr("Do you want to save them?"));
    box.setDefaultButton(QMessageBox::Save);
    switch (box.exec()) {
    case QMessageBox::Save:
        return UnsavedChangesAnswer::Save;
    case QMessageBox::Discard:
        return UnsavedChangesAnswer::Discard;
    default:
        return UnsavedChangesAnswer::Cancel;
    }
}

bool WidgetPrompter::confirm(QWidget* parent, const QString& title, const QString& text,
                             const QString& acceptText)
{
    QMessageBox box(QMessageBox::Question, title, text, QMessageBox::NoButton, parent);
    QPushButton* accept = box.addButton(acceptText, QMessageBox::AcceptRole);
    QPushButton* cancel = box.addButton(QMessageBox::Cancel);
    // Cancel is the default: a stray Return must not delete anything.
    box.setDefaultButton(cancel);
    box.exec();
    return box.clickedButton() == accept;
}

std::optional<QString> WidgetPrompter::askText(QWidget* parent, const QString& title,
                                               const QString& label, const QString& initial)
{
    bool ok = false;
    const QString text =
        QInputDialog::getText(parent, title, label, QLineEdit::Normal, initial, &ok);
    if (!ok)
        return std::nullopt;
    return text;
}

std::optional<QString> WidgetPrompter::chooseItem(QWidget* parent, const QString& title,
                                                  const QString& label, const QStringList& items,
                                                  const QString& current)
{
    bool ok = false;
    const QString item = QInputDialog::getItem(
        parent, title, label, items, std::max(0, int(items.indexOf(current))), false, &ok);
    if (!ok)
        return std::nullopt;
    return item;
}

std::optional<PresetChoice> WidgetPrompter::choosePreset(QWidget* parent, const QString& presetId)
{
    PresetDialog dialog(parent);
    if (!presetId.isEmpty())
        dialog.selectPreset(presetId);
    if (dialog.exec() != QDialog::Accepted)
        return std::nullopt;
    return dialog.choice();
}

std::optional<ExportChoice> WidgetPrompter::chooseExport(QWidget* parent,
                                                         const QList<ConnectionProfile>& profiles,
                                                         const QList<QUuid>& preselected)
{
    ExportDialog dialog(profiles, preselected, parent);
    if (dialog.exec() != QDialog::Accepted)
        return std::nullopt;
    return dialog.choice();
}

std::optional<ConflictPolicy> WidgetPrompter::chooseConflictPolicy(QWidget* parent,
                                                                   const QStringList& names)
{
    QMessageBox box(QMessageBox::Question, tr("Connections Exist Already"),
                    tr("%n imported connection(s) have the name of an existing one: %1", nullptr,
                       int(names.size()))
                        .arg(names.join(u", "_s)),
                    QMessageBox::NoButton, parent);
    box.setInformativeText(tr("Skip them, import them under new names, or replace the existing "
                              "connections' settings (their passwords stay)?"));
    QPushButton* rename = box.addButton(tr("Import as &New"), QMessageBox::AcceptRole);
    QPushButton* skip = box.addButton(tr("&Skip"), QMessageBox::AcceptRole);
    QPushButton* replace = box.addButton(tr("&Replace"), QMessageBox::DestructiveRole);
    box.addButton(QMessageBox::Cancel);
    box.setDefaultButton(rename);
    box.exec();
    if (box.clickedButton() == rename)
        return ConflictPolicy::Rename;
    if (box.clickedButton() == skip)
        return ConflictPolicy::Skip;
    if (box.clickedButton() == replace)
        return ConflictPolicy::Replace;
    return std::nullopt;
}

QString WidgetPrompter::openFileName(QWidget* parent, const QString& title, const QString& filter)
{
    return QFileDialog::getOpenFileName(parent, title, QString(), filter);
}

QString WidgetPrompter::saveFileName(QWidget* parent, const QString& title,
                                     const QString& suggestedPath, const QString& filter,
                                     QString* selectedFilter)
{
    return QFileDialog::getSaveFileName(parent, title, suggestedPath, filter, selectedFilter);
}

void WidgetPrompter::inform(QWidget* parent, Severity severity, const QString& title,
                            const QString& text, const QString& details)
{
    const QMessageBox::Icon icon = severity == Severity::Error     ? QMessageBox::Critical
                                   : severity == Severity::Warning ? QMessageBox::Warning
                                                                   : QMessageBox::Information;
    QMessageBox box(icon, title, text, QMessageBox::Ok, parent);
    if (!details.isEmpty())
        box.setDetailedText(details);
    box.exec();
}

std::optional<ConnectionProfile> WidgetPrompter::detectSettings(QWidget* parent,
                                                                const QString& query)
{
    DetectDialog dialog(parent);
    dialog.setQuery(query);
    if (!query.isEmpty())
        dialog.startDetection();
    if (dialog.exec() != QDialog::Accepted)
        return std::nullopt;
    return dialog.chosenProfile();
}

std::optional<CertificateTrust>
WidgetPrompter::chooseCertificateTrust(QWidget* parent, const CertificateTrustOffer& offer)
{
    CertificateTrustDialog dialog(offer, parent);
    if (dialog.exec() != QDialog::Accepted)
        return std::nullopt;
    return dialog.choice();
}

std::optional<QStringList> WidgetPrompter::chooseImport(QWidget* parent, const QString& fileName,
                                                        const QList<ImportCandidate>& candidates)
{
    ImportSelectionDialog dialog(fileName, candidates, parent);
    if (dialog.exec() != QDialog::Accepted)
        return std::nullopt;
    return dialog.chosenNames();
}

} // namespace relaydeck::ui
