#include "common/listenaddress.h"

#include <QComboBox>
#include <QCoreApplication>
#include <QMessageBox>
#include <QPushButton>

namespace {
struct Tr {
    Q_DECLARE_TR_FUNCTIONS(ListenAddress)
};
} // namespace

namespace ListenAddress {

QHostAddress parse(const QString &text, QString *error)
{
    QString t = text.trimmed();
    if (t.compare(QLatin1String("localhost"), Qt::CaseInsensitive) == 0)
        return QHostAddress(QHostAddress::LocalHost);
    if (t.startsWith(QLatin1Char('[')) && t.endsWith(QLatin1Char(']')))
        t = t.mid(1, t.size() - 2);
    QHostAddress address;
    if (t.isEmpty() || !address.setAddress(t)) {
        if (error)
            *error = Tr::tr("\"%1\" is not an IP address: use 127.0.0.1, ::1 or 0.0.0.0").arg(text.trimmed());
        return {};
    }
    return address;
}

bool exposes(const QHostAddress &address)
{
    return !address.isLoopback();
}

void fillChoices(QComboBox *box)
{
    box->setEditable(true);
    box->setInsertPolicy(QComboBox::NoInsert);
    box->addItem(QStringLiteral("127.0.0.1"));
    box->setItemData(0, Tr::tr("This machine only (IPv4 loopback)"), Qt::ToolTipRole);
    box->addItem(QStringLiteral("::1"));
    box->setItemData(1, Tr::tr("This machine only (IPv6 loopback)"), Qt::ToolTipRole);
    box->addItem(QStringLiteral("0.0.0.0"));
    box->setItemData(2, Tr::tr("Every IPv4 interface: other machines can connect"), Qt::ToolTipRole);
    box->setCurrentIndex(0);
    box->setMinimumContentsLength(15);
}

bool askToExpose(QWidget *parent, const QHostAddress &address, const QString &what, const QString &risk)
{
    QMessageBox box(QMessageBox::Warning, Tr::tr("Let other machines connect?"), what, QMessageBox::NoButton, parent);
    box.setInformativeText(risk);
    QPushButton *go = box.addButton(Tr::tr("Listen on %1").arg(address.toString()), QMessageBox::AcceptRole);
    QPushButton *cancel = box.addButton(QMessageBox::Cancel);
    box.setDefaultButton(cancel);
    box.setEscapeButton(cancel);
    box.exec();
    return box.clickedButton() == go;
}

bool mayListen(
    QWidget *parent, const QHostAddress &address, const Confirmation &confirm, const QString &what, const QString &risk)
{
    if (!exposes(address))
        return true;
    return confirm ? confirm(address) : askToExpose(parent, address, what, risk);
}

} // namespace ListenAddress
