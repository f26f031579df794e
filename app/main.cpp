#include "mainwindow.h"

#include "inspect/connectionbar.h"
#include "net/clientsession.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QSettings>
#include <cstdio>

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("WebSocketInspector"));
    QApplication::setApplicationName(QStringLiteral("wsinspector"));
    QApplication::setApplicationDisplayName(QCoreApplication::translate("main", "WebSocket Inspector"));
    QApplication::setApplicationVersion(QStringLiteral(WSI_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("wsinspector"));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QCoreApplication::translate("main", "Inspect WebSocket connections at the wire level. Starts the embedded "
                                            "server on 127.0.0.1 and, given a URL, connects to it."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(QCoreApplication::translate("main", "URL"),
                                 QCoreApplication::translate("main", "ws:// or wss:// URL to connect to at start"),
                                 QCoreApplication::translate("main", "[URL]"));
    const QCommandLineOption portOption(QStringLiteral("port"),
                                        QCoreApplication::translate("main", "Port of the embedded server (default "
                                                                            "8080; another free port if taken; 0 "
                                                                            "for any)"),
                                        QCoreApplication::translate("main", "PORT"), QStringLiteral("8080"));
    const QCommandLineOption noServerOption(QStringLiteral("no-server"),
                                            QCoreApplication::translate("main", "Do not start the embedded server"));
    parser.addOption(portOption);
    parser.addOption(noServerOption);
    parser.process(app);

    bool portOk = false;
    const uint port = parser.value(portOption).toUInt(&portOk);
    if (!portOk || port > 65535) {
        std::fprintf(stderr, "%s\n",
                     qPrintable(QCoreApplication::translate("main", "wsinspector: --port: \"%1\" is not a port "
                                                                    "number (0-65535)")
                                    .arg(parser.value(portOption))));
        return 2;
    }

    QSettings settings;
    MainWindow window(&settings);
    if (!parser.isSet(noServerOption))
        window.startEmbeddedServer(quint16(port));
    window.show();

    const QStringList positional = parser.positionalArguments();
    if (!positional.isEmpty()) {
        window.connectTo(QUrl(positional.first())); // a bad URL opens a session that shows the error
    }
    return app.exec();
}
