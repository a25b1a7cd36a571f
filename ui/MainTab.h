#pragma once

#include "EditorTab.h"

class QLineEdit;
class QComboBox;
class QPushButton;
class QSpinBox;
class QTableWidget;

namespace relaydeck::ui {

class CollapsibleSection;
class MessageLine;

// Main: name, description, server (with "Detect…" and, for "host:port", an offer to split it),
// port with the security mode next to it (mirroring the Encryption tab's), timeout, sender, HELO
// name, character set, and in a collapsed "Advanced" section the free options for DSN exports
// (restart_threshold, ping_threshold, ...).
class MainTab : public EditorTab
{
    Q_OBJECT

public:
    explicit MainTab(QWidget* parent = nullptr);

    void setProfile(const ConnectionProfile& profile) override;
    void applyTo(ConnectionProfile& profile) const override;

    int port() const;
    // Sets the port as if the user had (emits changed()).
    void setPort(int port);
    QLineEdit* nameEdit() const { return m_name; }

    // Shows `security` in the mirror of the Encryption tab's combo (emits nothing).
    void setSecurity(Security security);
    // Says next to the port that it followed a change of the security mode (until the next edit).
    void showPortFollowed(int previous, int current);
    // What "Detect…" looks up: the sender's address when there is one, else the server's domain.
    QString detectionQuery() const;
    CollapsibleSection* advancedSection() const { return m_advanced; }

signals:
    // The user chose a security mode on this tab.
    void securityChosen(relaydeck::Security security);
    // The user asked to detect the settings for `query` (an address or a domain).
    void detectRequested(const QString& query);

private:
    void addOption();
    void removeOption();
    void updateOptionButtons();
    void updateHostSplit();
    void splitHost();
    void updateAdvancedTitle();

    QLineEdit* m_name;
    QLineEdit* m_description;
    QLineEdit* m_host;
    QPushButton* m_splitHost;
    QPushButton* m_detect;
    QSpinBox* m_port;
    QComboBox* m_security;
    MessageLine* m_portNote;
    QSpinBox* m_timeout;
    QLineEdit* m_sender;
    QLineEdit* m_heloName;
    QComboBox* m_charset;
    QTableWidget* m_options;
    QPushButton* m_addOption;
    QPushButton* m_removeOption;
    CollapsibleSection* m_advanced;
};

} // namespace relaydeck::ui
