package io.github.keyprotectexporter.cli; public final class Main { public static void main(String[] a) {} }
