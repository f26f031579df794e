#pragma once

#include <QHostAddress>
#include <QString>
#include <functional>

class QComboBox;
class QWidget;

// Where the embedded server and relays listen: loopback unless the user says otherwise, and
// anything else only after asking (DESIGN.md).
namespace ListenAddress {

// The address in a bind field ("127.0.0.1", "::1", "[::1]", "localhost"); null with `error` set
// when it is not one.
QHostAddress parse(const QString &text, QString *error = nullptr);
// Whether binding `address` lets other machines connect (anything but loopback).
bool exposes(const QHostAddress &address);
// Fills an editable combo box with 127.0.0.1, ::1 and 0.0.0.0, each with a tool tip.
void fillChoices(QComboBox *box);
// Asks whether to listen on `address` after all: `what` says what others could then use, `risk`
// what that means. True goes ahead.
bool askToExpose(QWidget *parent, const QHostAddress &address, const QString &what, const QString &risk);
// Decides in a test's place (or a policy's) whether to expose an address; see mayListen().
using Confirmation = std::function<bool(const QHostAddress &address)>;
// Whether to listen on `address`: yes for loopback; otherwise `confirm` decides when set, or the
// user is asked (askToExpose).
bool mayListen(QWidget *parent, const QHostAddress &address, const Confirmation &confirm, const QString &what,
    const QString &risk);

} // namespace ListenAddress
