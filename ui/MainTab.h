#pragma once

#include "EditorTab.h"

class QLineEdit;
class QComboBox;
class QPushButton;
class QSpinBox;
class QTableWidget;

namespace relaydeck::ui {

// Main: name, description, server, port, timeout, sender, HELO name, character set and the free
// options (restart_threshold, ping_threshold, ...).
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

private:
    void addOption();
    void removeOption();
    void updateOptionButtons();

    QLineEdit* m_name;
    QLineEdit* m_description;
    QLineEdit* m_host;
    QSpinBox* m_port;
    QSpinBox* m_timeout;
    QLineEdit* m_sender;
    QLineEdit* m_heloName;
    QComboBox* m_charset;
    QTableWidget* m_options;
    QPushButton* m_addOption;
    QPushButton* m_removeOption;
};

} // namespace relaydeck::ui
