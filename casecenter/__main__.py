from casecenter.config.manage import main

main()
