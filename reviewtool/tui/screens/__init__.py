"""The app's screens: queue, review, cable header, release preview, help, finish, and
the modal pickers (codes, note, text selection)."""
