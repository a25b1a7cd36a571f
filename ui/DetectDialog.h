#pragma once

#include "detect/SettingsDetector.h"
#include "profile/ConnectionProfile.h"

#include <QDialog>
#include <QList>

#include <optional>

class QCheckBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTreeWidget;

namespace relaydeck::ui {

// "New from Address…": runs a SettingsDetector for an address or domain and lists the
// candidates live (host, port, security, mechanisms, certificate, source), best first and the
// best preselected. "Use" gives a new connection's profile (username from autoconfig or the
// address, mechanism auto, the preset when it matches one); a host in another domain needs
// the confirmation box ticked.
class DetectDialog : public QDialog
{
    Q_OBJECT

public:
    explicit DetectDialog(QWidget* parent = nullptr);

    void setQuery(const QString& query);
    void setOptions(const DetectionOptions& options) { m_options = options; }
    void startDetection();
    // The chosen candidate as a profile (no name yet); nullopt when none is chosen.
    std::optional<ConnectionProfile> chosenProfile() const;
    std::optional<DetectedCandidate> chosenCandidate() const;

    // What the detector reports (public: tests feed candidates directly).
    void showCandidate(const DetectedCandidate& candidate);
    void showFinished();

protected:
    void resizeEvent(QResizeEvent* event) override;

private:
    void refreshList();
    void fitColumns();
    void updateButtons();

    QLineEdit* m_query;
    QPushButton* m_detect;
    QTreeWidget* m_list;
    QLabel* m_verdict; // the selected candidate's verdict in full, wrapped
    QLabel* m_status;
    QCheckBox* m_confirm;
    QDialogButtonBox* m_buttons;
    QPushButton* m_use;
    SettingsDetector* m_detector = nullptr;
    DetectionOptions m_options;
    QList<DetectedCandidate> m_candidates; // best first
};

} // namespace relaydeck::ui
