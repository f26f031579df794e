#include <QApplication>
#include <QLabel>
#include <QMainWindow>

// The inspector window arrives with its own issue; until then the GUI starts and shows a window.
int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("WebSocket Inspector"));
    QMainWindow window;
    window.setWindowTitle(QStringLiteral("WebSocket Inspector"));
    auto *label = new QLabel(QStringLiteral("WebSocket Inspector"), &window);
    label->setAlignment(Qt::AlignCenter);
    window.setCentralWidget(label);
    window.resize(900, 600);
    window.show();
    return app.exec();
}
