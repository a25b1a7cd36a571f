#pragma once

#include "Prompter.h"

#include <QCoreApplication>

namespace relaydeck::ui {

// The real dialogs: QMessageBox, QInputDialog, QFileDialog, PresetDialog, ExportDialog.
class WidgetPrompter : public Prompter
{
    Q_DECLARE_TR_FUNCTIONS(WidgetPrompter)

public:
    UnsavedChangesAnswer askUnsavedChanges(QWidget* parent, const QString& name) override;
    bool confirm(QWidget* parent, const QString& title, const QString& text,
                 const QString& acceptText) override;
    std::optional<QString> askText(QWidget* parent, const QString& title, const QString& label,
                                   const QString& initial) override;
    std::optional<QString> chooseItem(QWidget* parent, const QString& title, const QString& label,
                                      const QStringList& items, const QString& current) override;
    std::optional<PresetChoice> choosePreset(QWidget* parent, const QString& presetId) override;
    std::optional<ExportChoice> chooseExport(QWidget* parent,
                                             const QList<ConnectionProfile>& profiles,
                                             const QList<QUuid>& preselected) override;
    std::optional<ConflictPolicy> chooseConflictPolicy(QWidget* parent,
                                                       const QStringList& names) override;
    QString openFileName(QWidget* parent, const QString& title, const QString& filter) override;
    QString saveFileName(QWidget* parent, const QString& title, const QString& suggestedPath,
                         const QString& filter, QString* selectedFilter) override;
    std::optional<ConnectionProfile> detectSettings(QWidget* parent, const QString& query) override;
    std::optional<CertificateTrust>
    chooseCertificateTrust(QWidget* parent, const CertificateTrustOffer& offer) override;
    std::optional<QStringList> chooseImport(QWidget* parent, const QString& fileName,
                                            const QList<ImportCandidate>& candidates) override;
    void inform(QWidget* parent, Severity severity, const QString& title, const QString& text,
                const QString& details) override;
};

} // namespace relaydeck::ui
