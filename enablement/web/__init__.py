"""What every app's pages share: navigation, the home and directory pages, answering service errors."""
