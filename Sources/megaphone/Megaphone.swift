@main
struct Megaphone {
    static func main() {}
}
